<h1><?cs var:Admin.overview.title ?></h1>
<p class="lead"><?cs var:Admin.overview.lead ?></p>
<div class="counts" id="queue-totals">
<?cs each:t = Overview.total ?><div class="count" id="total-<?cs name:t ?>"><a href="<?cs var:Page.Base ?>/queues/<?cs var:t.segment ?>"><strong class="open"><?cs var:t.open ?></strong> <span><?cs var:Admin.kind[name(t)].queue ?></span></a><br><span class="overdue<?cs if:t.overdue > 0 ?> warn<?cs /if ?>"><?cs var:Admin.overview.overdue ?> <?cs var:t.overdue ?></span></div>
<?cs /each ?>
</div>
<h2><?cs var:Admin.overview.by_department ?></h2>
<?cs if:subcount(Overview.rows) == 0 ?><p id="overview-empty"><?cs var:Admin.overview.empty ?></p><?cs else ?>
<div class="table-wrap"><table class="records" id="by-department">
<thead><tr>
  <th scope="col"><?cs var:Admin.queue.col.department ?></th>
  <?cs each:t = Overview.total ?><th scope="col" class="num"><?cs var:Admin.kind[name(t)].queue ?> · <?cs var:Admin.overview.open ?></th><th scope="col" class="num"><?cs var:Admin.overview.overdue ?></th><?cs /each ?>
</tr></thead>
<tbody>
<?cs each:r = Overview.rows ?><tr id="dept-<?cs var:r.id ?>">
  <th scope="row"><?cs if:r.name ?><?cs var:r.name ?><?cs else ?><?cs var:Admin.unassigned ?><?cs /if ?></th>
  <?cs each:t = Overview.total ?><td class="num <?cs name:t ?>-open"><?cs if:r[name(t)].open > 0 ?><a href="<?cs var:Page.Base ?>/queues/<?cs var:t.segment ?>?department=<?cs var:r.id ?>"><?cs var:r[name(t)].open ?></a><?cs else ?>0<?cs /if ?></td><td class="num <?cs name:t ?>-overdue<?cs if:r[name(t)].overdue > 0 ?> warn<?cs /if ?>"><?cs alt:r[name(t)].overdue ?>0<?cs /alt ?></td><?cs /each ?>
</tr>
<?cs /each ?>
</tbody>
</table></div>
<?cs /if ?>
