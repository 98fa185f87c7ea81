<?cs with:s = Subject ?>
<article class="subject">
<h1><?cs var:s.name ?></h1>
<dl class="fields">
  <div><dt><?cs var:Lang.record.kind ?></dt><dd><?cs var:s.kind_label ?></dd></div>
  <?cs if:s.credit_code ?><div><dt><?cs var:Lang.record.credit_code ?></dt><dd class="code" id="credit-code"><?cs var:s.credit_code ?></dd></div><?cs /if ?>
  <?cs if:s.employer_name ?><div><dt><?cs var:Lang.record.employer ?></dt><dd><a href="<?cs var:Page.Base ?>/subjects/<?cs var:s.employer_id ?>"><?cs var:s.employer_name ?></a></dd></div><?cs /if ?>
  <?cs if:s.position ?><div><dt><?cs var:Lang.record.position ?></dt><dd><?cs var:s.position ?></dd></div><?cs /if ?>
  <?cs if:s.id_masked ?><div><dt><?cs var:Lang.record.id_masked ?></dt><dd class="code" id="id-masked"><?cs var:s.id_masked ?></dd></div><?cs /if ?>
  <div><dt><?cs var:Lang.record.district ?></dt><dd><?cs var:s.district_label ?></dd></div>
  <div><dt><?cs var:Lang.record.level ?></dt><dd><?cs var:s.level_label ?></dd></div>
</dl>
<h2><?cs var:Lang.subject.records ?> <small>(<?cs var:Lang.subject.total_pre ?> <span id="subject-total"><?cs var:List.total ?></span> <?cs var:Lang.subject.total_post ?>)</small></h2>
<?cs if:List.count > 0 ?><?cs call:record_table(Records) ?><?cs else ?><p class="empty"><?cs var:Lang.subject.none ?></p><?cs /if ?>
<?cs if:subcount(RatingHistory) > 0 ?>
<section aria-labelledby="ratings-h">
<h2 id="ratings-h"><?cs var:Lang.ratings.history ?></h2>
<div class="table-wrap"><table class="records ratings cards" id="rating-history">
<thead><tr>
  <th scope="col"><?cs var:Lang.ratings.history_year ?></th>
  <th scope="col" class="num"><?cs var:Lang.ratings.score ?></th>
  <th scope="col"><?cs var:Lang.ratings.grade ?></th>
  <th scope="col"><?cs var:Lang.ratings.published_on ?></th>
  <th scope="col"><?cs var:Lang.ratings.indicators ?></th>
</tr></thead>
<tbody>
<?cs each:h = RatingHistory ?>
<tr>
  <th scope="row" data-label="<?cs var:Lang.ratings.history_year ?>"><?cs var:h.year ?><?cs var:Lang.ratings.year_post ?></th>
  <td class="num score" data-label="<?cs var:Lang.ratings.score ?>"><?cs var:h.score ?></td>
  <td data-label="<?cs var:Lang.ratings.grade ?>"><span class="grade grade-<?cs var:h.grade ?>"><?cs var:h.grade ?> <?cs var:h.grade_label ?></span></td>
  <td class="date" data-label="<?cs var:Lang.ratings.published_on ?>"><?cs var:h.published_on ?></td>
  <td data-label="<?cs var:Lang.ratings.indicators ?>"><a href="<?cs var:Page.Base ?>/ratings?year=<?cs var:h.year ?>#ind-<?cs var:h.id ?>"><?cs var:Lang.ratings.view ?></a></td>
</tr>
<?cs /each ?>
</tbody>
</table></div>
</section>
<?cs /if ?>
</article>
<?cs /with ?>
