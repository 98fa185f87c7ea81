<?cs include:"charts.cs" ?>
<h1><?cs if:Ratings.year > 0 ?><?cs var:Ratings.year ?><?cs var:Lang.ratings.year_post ?><?cs /if ?><?cs var:Lang.ratings.title ?></h1>
<p class="lead"><?cs var:Lang.ratings.lead ?></p>
<?cs if:subcount(Years) > 0 ?>
<nav class="years" aria-label="<?cs var:Lang.ratings.years ?>"><span><?cs var:Lang.ratings.years ?>:</span>
<?cs each:y = Years ?><a href="<?cs var:Page.Base ?>/ratings?year=<?cs var:y ?>"<?cs if:y == Ratings.year ?> aria-current="page"<?cs /if ?>><?cs var:y ?><?cs var:Lang.ratings.year_post ?></a>
<?cs /each ?></nav>
<?cs /if ?>
<?cs if:Ratings.count > 0 ?>
<section class="counts" aria-label="<?cs var:Lang.ratings.grade ?>">
  <div class="count"><strong id="ratings-count"><?cs var:Ratings.count ?></strong><span><?cs var:Lang.ratings.count ?></span></div>
  <?cs each:g = Grades ?>
  <div class="count"><strong id="grade-count-<?cs var:g.code ?>"><?cs var:g.n ?></strong><span><?cs var:g.code ?> <?cs var:g.label ?></span></div>
  <?cs /each ?>
</section>

<section aria-labelledby="chart-h">
<h2 id="chart-h"><?cs var:Lang.ratings.chart ?></h2>
<figure class="chart">
<?cs call:chart(Charts.ratings, "chart-ratings", Ratings.year + Lang.ratings.year_post + Lang.ratings.chart_title, Lang.ratings.desc_1 + Ratings.count + Lang.ratings.desc_2 + Ratings.max + Lang.ratings.desc_3 + Ratings.min + Lang.ratings.desc_4, "ratings-table") ?>
<figcaption class="note"><?cs var:Lang.ratings.caption ?></figcaption>
</figure>
</section>

<section aria-labelledby="table-h">
<h2 id="table-h"><?cs var:Lang.ratings.table ?></h2>
<div class="table-wrap"><table class="records ratings cards" id="ratings-table">
<caption class="note"><?cs var:Ratings.year ?><?cs var:Lang.ratings.year_post ?><?cs var:Lang.ratings.table ?></caption>
<thead><tr>
  <th scope="col"><?cs var:Lang.ratings.rank ?></th>
  <th scope="col"><?cs var:Lang.ratings.body ?></th>
  <th scope="col"><?cs var:Lang.ratings.district ?></th>
  <th scope="col" class="num"><?cs var:Lang.ratings.score ?></th>
  <th scope="col"><?cs var:Lang.ratings.grade ?></th>
  <th scope="col"><?cs var:Lang.ratings.published_on ?></th>
  <th scope="col"><?cs var:Lang.ratings.indicators ?></th>
</tr></thead>
<tbody>
<?cs each:r = Items ?>
<tr id="rating-row-<?cs var:r.id ?>">
  <td class="num" data-label="<?cs var:Lang.ratings.rank ?>"><?cs var:r.rank ?></td>
  <th scope="row" data-label="<?cs var:Lang.ratings.body ?>"><a href="<?cs var:Page.Base ?>/subjects/<?cs var:r.subject.id ?>"><?cs var:r.subject.name ?></a></th>
  <td data-label="<?cs var:Lang.ratings.district ?>"><?cs var:r.subject.district_label ?></td>
  <td class="num score" data-label="<?cs var:Lang.ratings.score ?>"><?cs var:r.score ?></td>
  <td data-label="<?cs var:Lang.ratings.grade ?>"><span class="grade grade-<?cs var:r.grade ?>"><?cs var:r.grade ?> <?cs var:r.grade_label ?></span></td>
  <td class="date" data-label="<?cs var:Lang.ratings.published_on ?>"><?cs var:r.published_on ?></td>
  <td data-label="<?cs var:Lang.ratings.indicators ?>"><a href="#ind-<?cs var:r.id ?>"><?cs var:Lang.ratings.view ?></a></td>
</tr>
<?cs /each ?>
</tbody>
</table></div>
</section>

<section aria-labelledby="ind-h" class="indicators">
<h2 id="ind-h"><?cs var:Lang.ratings.indicators ?></h2>
<p class="note"><?cs var:Lang.ratings.indicators_note ?></p>
<?cs each:r = Items ?>
<details class="indicators" id="rating-<?cs var:r.id ?>">
<summary><span class="name"><?cs var:r.subject.name ?></span> <span class="score"><?cs var:r.score ?></span> <span class="grade grade-<?cs var:r.grade ?>"><?cs var:r.grade ?> <?cs var:r.grade_label ?></span></summary>
<div class="table-wrap" id="ind-<?cs var:r.id ?>"><table class="records">
<thead><tr>
  <th scope="col"><?cs var:Lang.ratings.indicator ?></th>
  <th scope="col" class="num"><?cs var:Lang.ratings.weight ?></th>
  <th scope="col" class="num"><?cs var:Lang.ratings.raw_value ?></th>
  <th scope="col" class="num"><?cs var:Lang.ratings.indicator_score ?></th>
</tr></thead>
<tbody>
<?cs each:x = r.indicators ?><tr><td><?cs var:x.name ?></td><td class="num"><?cs var:x.weight ?></td><td class="num"><?cs var:x.raw_value ?></td><td class="num"><?cs var:x.score ?></td></tr>
<?cs /each ?>
</tbody>
<tfoot><tr><th scope="row"><?cs var:Lang.ratings.total ?></th><td></td><td></td><td class="num"><?cs var:r.score ?></td></tr></tfoot>
</table></div>
</details>
<?cs /each ?>
</section>
<?cs elif:Ratings.year > 0 ?>
<p class="empty"><?cs var:Lang.ratings.none ?></p>
<?cs else ?>
<p class="empty"><?cs var:Lang.ratings.empty ?></p>
<?cs /if ?>
