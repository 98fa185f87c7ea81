<?cs include:"charts.cs" ?>
<?cs def:count_table(id, caption, head, rows) ?>
<div class="table-wrap"><table class="records stats-table" id="<?cs var:id ?>">
<caption class="note"><?cs var:caption ?></caption>
<thead><tr><th scope="col"><?cs var:head ?></th><th scope="col" class="num"><?cs var:Lang.stats.n ?></th></tr></thead>
<tbody>
<?cs each:r = rows ?><tr><th scope="row"><?cs var:r.label ?></th><td class="num"><?cs var:r.n ?></td></tr>
<?cs /each ?>
</tbody>
</table></div>
<?cs /def ?>
<h1><?cs var:Lang.stats.title ?></h1>
<p class="lead"><?cs var:Lang.stats.lead ?></p>
<section class="counts" aria-label="<?cs var:Lang.stats.total ?>">
  <div class="count"><strong id="stats-total"><?cs var:Stats.total ?></strong><span><?cs var:Lang.stats.total ?></span></div>
  <div class="count"><strong id="stats-complaints"><?cs var:Stats.outcome.total ?></strong><span><?cs var:Lang.stats.complaints ?></span></div>
</section>

<section aria-labelledby="district-h">
<h2 id="district-h"><?cs var:Lang.stats.by_district ?></h2>
<div class="chart-block">
<figure class="chart"><?cs call:chart(Stats.district.chart, "chart-district", Lang.stats.by_district, Lang.stats.desc_bars + Lang.stats.by_district + Lang.stats.desc_total + Stats.total + Lang.stats.desc_records_end, "table-district") ?></figure>
<?cs call:count_table("table-district", Lang.stats.by_district, Lang.stats.district, Stats.district.rows) ?>
</div>
</section>

<section aria-labelledby="domain-h">
<h2 id="domain-h"><?cs var:Lang.stats.by_domain ?></h2>
<div class="chart-block">
<figure class="chart"><?cs call:chart(Stats.domain.chart, "chart-domain", Lang.stats.by_domain, Lang.stats.desc_bars + Lang.stats.by_domain + Lang.stats.desc_total + Stats.total + Lang.stats.desc_records_end, "table-domain") ?></figure>
<?cs call:count_table("table-domain", Lang.stats.by_domain, Lang.stats.domain, Stats.domain.rows) ?>
</div>
</section>

<section aria-labelledby="month-h">
<h2 id="month-h"><?cs var:Lang.stats.by_month ?></h2>
<figure class="chart wide"><?cs call:chart(Stats.month.chart, "chart-month", Lang.stats.by_month, Lang.stats.desc_columns + Stats.month.from + Lang.stats.desc_to + Stats.month.to + Lang.stats.desc_month_end, "table-month") ?></figure>
<details class="data"><summary><?cs var:Lang.stats.show_table ?></summary>
<?cs call:count_table("table-month", Lang.stats.by_month, Lang.stats.month, Stats.month.rows) ?>
</details>
</section>

<section aria-labelledby="outcome-h">
<h2 id="outcome-h"><?cs var:Lang.stats.outcomes ?></h2>
<p class="note"><?cs var:Lang.stats.outcomes_note ?></p>
<div class="chart-block">
<figure class="chart"><?cs call:chart(Stats.outcome.chart, "chart-outcome", Lang.stats.outcomes, Lang.stats.desc_bars + Lang.stats.outcomes + Lang.stats.desc_complaints + Stats.outcome.total + Lang.stats.desc_end, "table-outcome") ?></figure>
<?cs call:count_table("table-outcome", Lang.stats.outcomes, Lang.stats.status, Stats.outcome.rows) ?>
</div>
</section>

<section aria-labelledby="handling-h">
<h2 id="handling-h"><?cs var:Lang.stats.handling ?></h2>
<p class="note"><?cs var:Lang.stats.handling_note ?></p>
<?cs if:subcount(Stats.departments) > 0 ?>
<?cs if:Stats.handling.n > 0 ?>
<figure class="chart"><?cs call:chart(Stats.handling.chart, "chart-handling", Lang.stats.handling, Lang.stats.desc_bars + Lang.stats.handling + Lang.stats.desc_handling + Stats.handling.n + Lang.stats.desc_handling_end, "table-handling") ?></figure>
<?cs /if ?>
<div class="table-wrap"><table class="records stats-table" id="table-handling">
<caption class="note"><?cs var:Lang.stats.handling ?></caption>
<thead><tr>
  <th scope="col"><?cs var:Lang.stats.department ?></th>
  <th scope="col" class="num"><?cs var:Lang.enum.case_status.received ?></th>
  <th scope="col" class="num"><?cs var:Lang.enum.case_status.accepted ?></th>
  <th scope="col" class="num"><?cs var:Lang.enum.case_status.rejected ?></th>
  <th scope="col" class="num"><?cs var:Lang.enum.case_status.processing ?></th>
  <th scope="col" class="num"><?cs var:Lang.enum.case_status.concluded ?></th>
  <th scope="col" class="num"><?cs var:Lang.stats.dept_total ?></th>
  <th scope="col" class="num"><?cs var:Lang.stats.avg_days ?></th>
</tr></thead>
<tbody>
<?cs each:d = Stats.departments ?>
<tr>
  <th scope="row"><?cs var:d.name ?></th>
  <td class="num"><?cs var:d.received ?></td>
  <td class="num"><?cs var:d.accepted ?></td>
  <td class="num"><?cs var:d.rejected ?></td>
  <td class="num"><?cs var:d.processing ?></td>
  <td class="num"><?cs var:d.concluded ?></td>
  <td class="num"><?cs var:d.total ?></td>
  <td class="num avg"><?cs if:?d.avg_days ?><?cs var:d.avg_days ?><?cs else ?>—<?cs /if ?></td>
</tr>
<?cs /each ?>
</tbody>
</table></div>
<?cs else ?>
<p class="empty"><?cs var:Lang.stats.no_departments ?></p>
<?cs /if ?>
</section>
<p class="exports"><?cs var:Lang.stats.api ?> <a href="<?cs var:Page.Base ?>/api/v1/stats"><?cs var:Lang.feed.json ?></a></p>
