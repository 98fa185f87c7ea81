<h1><?cs var:Admin.kind[Queue.kind].queue ?></h1>
<?cs if:Staff.city == "1" ?>
<form method="get" action="<?cs var:Page.Base ?>/queues/<?cs var:Queue.segment ?>" class="filters" id="queue-filter">
<fieldset>
<label><span><?cs var:Admin.queue.col.department ?></span>
<select name="department">
  <option value=""><?cs var:Admin.filter.all ?></option>
  <?cs if:Queue.kind == "complaint" ?><option value="none"<?cs if:Queue.department == "none" ?> selected<?cs /if ?>><?cs var:Admin.unassigned ?></option><?cs /if ?>
  <?cs each:d = Departments ?><option value="<?cs var:d.id ?>"<?cs if:d.id == Queue.department ?> selected<?cs /if ?>><?cs var:d.name ?></option><?cs /each ?>
</select></label>
<button type="submit"><?cs var:Admin.filter.apply ?></button>
</fieldset>
</form>
<?cs /if ?>
<p id="queue-count"><?cs var:Admin.queue.count ?> <strong><?cs var:Queue.total ?></strong><?cs if:Queue.shown > 0 ?> · <span id="queue-range"><?cs var:Admin.queue.range.before ?> <?cs var:Queue.first ?>–<?cs var:Queue.last ?> <?cs var:Admin.queue.range.of ?> <?cs var:Queue.total ?> <?cs var:Admin.queue.range.after ?></span><?cs /if ?></p>
<?cs if:Queue.beyond == "1" ?><p class="banner" role="alert" id="queue-beyond"><?cs var:Admin.queue.beyond ?> <?cs var:Queue.pages ?>. <a href="<?cs call:queue_href(Queue.pages) ?>" id="page-last"><?cs var:Admin.queue.last_page ?></a></p>
<?cs elif:Queue.total == 0 ?><p id="queue-empty"><?cs var:Admin.queue.empty ?></p><?cs else ?>
<div class="table-wrap"><table class="records queue" id="queue">
<thead><tr>
  <th scope="col"><?cs var:Admin.queue.col.receipt ?></th>
  <th scope="col"><?cs var:Admin.queue.col.subject ?></th>
  <th scope="col"><?cs var:Admin.queue.col.status ?></th>
  <th scope="col"><?cs var:Admin.queue.col.department ?></th>
  <th scope="col"><?cs var:Admin.queue.col.received ?></th>
  <th scope="col"><?cs var:Admin.queue.col.due ?></th>
  <th scope="col"><?cs var:Admin.queue.col.clock ?></th>
  <th scope="col"><?cs var:Admin.queue.col.act ?></th>
</tr></thead>
<tbody>
<?cs each:it = Queue.items ?><tr class="item<?cs if:it.overdue == "1" ?> overdue<?cs /if ?>" id="item-<?cs var:it.receipt ?>">
  <td class="no"><a href="<?cs var:Page.Base ?>/cases/<?cs var:it.receipt ?>"><?cs var:it.receipt ?></a></td>
  <td><?cs var:it.title ?><?cs if:it.record_no ?> <span class="code"><?cs var:it.record_no ?></span><?cs /if ?></td>
  <td class="status"><?cs var:it.status_label ?></td>
  <td><?cs if:it.department ?><?cs var:it.department ?><?cs else ?><?cs var:Admin.unassigned ?><?cs /if ?></td>
  <td class="date"><?cs var:it.received_on ?></td>
  <td class="date due"><?cs alt:it.due_on ?>-<?cs /alt ?><?cs if:it.reply_due_on ?><br><span class="note"><?cs var:Admin.clock.reply ?> <?cs var:it.reply_due_on ?></span><?cs /if ?></td>
  <td class="clock"><?cs call:admin_clock(it) ?></td>
  <td class="act"><?cs if:it.token && subcount(it.next) > 0 ?><form method="post" action="<?cs var:Page.Base ?>/cases/<?cs var:it.receipt ?>" class="inline-act">
    <input type="hidden" name="action" value="transition"><input type="hidden" name="token" value="<?cs var:it.token ?>"><input type="hidden" name="state" value="<?cs var:it.status ?>">
    <select name="to" required aria-label="<?cs var:Admin.form.to ?>"><?cs each:n = it.next ?><option value="<?cs var:n.code ?>"><?cs var:n.label ?></option><?cs /each ?></select>
    <input type="text" name="note" required maxlength="1000" aria-label="<?cs var:Admin.form.note ?>" placeholder="<?cs var:Admin.form.note ?>">
    <button type="submit"><?cs var:Admin.form.submit ?></button>
  </form><?cs /if ?><a href="<?cs var:Page.Base ?>/cases/<?cs var:it.receipt ?>#act"><?cs var:Admin.queue.act ?></a></td>
</tr>
<?cs /each ?>
</tbody>
</table></div>
<?cs if:Queue.pages > 1 ?><nav class="pager" id="queue-pager" aria-label="<?cs var:Admin.queue.pager ?>">
<?cs if:Queue.prev ?><a href="<?cs call:queue_href(Queue.prev) ?>" rel="prev" id="page-prev"><?cs var:Admin.queue.prev ?></a><?cs /if ?>
<span class="page" id="page-of"><?cs var:Admin.queue.page ?> <?cs var:Queue.page ?> / <?cs var:Queue.pages ?></span>
<?cs if:Queue.next ?><a href="<?cs call:queue_href(Queue.next) ?>" rel="next" id="page-next"><?cs var:Admin.queue.next ?></a><?cs /if ?>
</nav><?cs /if ?>
<?cs /if ?>
