<p><a href="<?cs var:Page.Base ?>/queues/<?cs var:Case.queue ?>" id="back"><?cs var:Admin.case.back ?>: <?cs var:Admin.kind[Case.kind].queue ?></a></p>
<h1><?cs var:Admin.kind[Case.kind].one ?> <span class="code" id="case-receipt"><?cs var:Case.receipt ?></span></h1>
<?cs if:Done.code ?><div class="banner done" role="status" id="done"><?cs if:Done.code == "assigned" ?><?cs var:Admin.done.assigned ?> <?cs var:Case.department ?><?cs else ?><?cs var:Admin.done.moved ?> <?cs var:Done.label ?><?cs /if ?></div><?cs /if ?>
<?cs if:Form.failed ?><div class="banner" role="alert" id="form-failed"><?cs var:Admin.form.failed ?></div><?cs /if ?>
<dl class="fields" id="case-summary">
  <div><dt><?cs var:Admin.case.status ?></dt><dd id="case-status"><?cs var:Case.status_label ?></dd></div>
  <div><dt><?cs var:Admin.case.received ?></dt><dd><?cs var:Case.created_at ?></dd></div>
  <div><dt><?cs var:Admin.case.department ?></dt><dd id="case-department"><?cs if:Case.department ?><?cs var:Case.department ?><?cs else ?><?cs var:Admin.unassigned ?><?cs /if ?></dd></div>
  <?cs if:Case.title ?><div><dt><?cs var:Admin.queue.col.subject ?></dt><dd><?cs var:Case.title ?></dd></div><?cs /if ?>
  <?cs if:Case.record_no ?><div><dt><?cs var:Admin.case.record ?></dt><dd><span class="code"><?cs var:Case.record_no ?></span> <?cs var:Case.record_title ?></dd></div><?cs /if ?>
  <div><dt><?cs var:Admin.case.accepted ?></dt><dd><?cs alt:Case.accepted_on ?>-<?cs /alt ?></dd></div>
  <div><dt><?cs var:Admin.case.due ?></dt><dd id="case-due"><?cs alt:Case.due_on ?>-<?cs /alt ?> <span id="case-clock"><?cs call:admin_clock(Case.clock) ?></span></dd></div>
  <?cs if:Case.reply_due_on ?><div><dt><?cs var:Admin.case.reply_due ?></dt><dd id="case-reply-due"><?cs var:Case.reply_due_on ?> <?cs call:admin_clock(Case.reply_clock) ?></dd></div><?cs /if ?>
</dl>
<h2><?cs var:Admin.case.details ?></h2>
<dl class="fields" id="case-fields">
<?cs each:f = Case.fields ?><div id="field-<?cs var:f.name ?>"><dt><?cs var:Admin.field[f.name] ?></dt><dd class="facts"><?cs if:f.value ?><?cs var:f.value ?><?cs else ?><span class="note"><?cs var:Admin.field.not_given ?></span><?cs /if ?></dd></div>
<?cs /each ?>
</dl>
<h2><?cs var:Admin.case.reply ?></h2>
<p class="facts" id="case-reply"><?cs if:Case.reply ?><?cs var:Case.reply ?><?cs else ?><span class="note"><?cs var:Admin.case.no_reply ?></span><?cs /if ?></p>

<h2 id="act"><?cs var:Admin.form.title ?></h2>
<?cs if:Form.disabled ?><p class="banner" id="forms-disabled"><?cs var:Admin.form.disabled ?></p>
<?cs elif:subcount(Form.next) == 0 ?><?cs call:admin_to_error() ?><?cs call:admin_error(Form.error.token, "token") ?><p id="no-next"><?cs var:Admin.form.closed ?></p>
<?cs else ?>
<form method="post" action="<?cs var:Form.action ?>" class="citizen admin-act" id="transition-form">
  <input type="hidden" name="action" value="transition">
  <input type="hidden" name="token" value="<?cs var:Form.token ?>">
  <input type="hidden" name="state" value="<?cs var:Form.state ?>">
  <?cs call:admin_error(Form.error.token, "token") ?>
  <fieldset class="field<?cs if:Form.error.to ?> has-error<?cs /if ?>" id="field-to">
    <legend><?cs var:Admin.form.to ?> <span class="req">*</span></legend>
    <?cs each:n = Form.next ?><label class="check"><input type="radio" name="to" value="<?cs var:n.code ?>"<?cs if:n.code == Form.to ?> checked<?cs /if ?> required> <?cs var:n.label ?></label>
    <?cs /each ?>
    <?cs call:admin_to_error() ?>
  </fieldset>
  <div class="field<?cs if:Form.error.note ?> has-error<?cs /if ?>" id="field-note">
    <label for="in-note"><?cs var:Admin.form.note ?> <span class="req">*</span></label>
    <textarea id="in-note" name="note" rows="3" maxlength="1000" required aria-describedby="help-note"><?cs var:Form.note ?></textarea>
    <p class="note" id="help-note"><?cs var:Admin.form.note_help ?></p>
    <?cs if:Form.error.note ?><p class="error" role="alert" id="err-note"><?cs var:Admin.form.error[Form.error.note] ?></p><?cs /if ?>
  </div>
  <?cs each:n = Form.next ?><?cs if:n.code == "corrected" ?><div class="field<?cs if:Form.error.correction ?> has-error<?cs /if ?>" id="field-correction">
    <label for="in-correction"><?cs var:Admin.form.correction ?></label>
    <textarea id="in-correction" name="correction" rows="3" maxlength="1000" aria-describedby="help-correction"><?cs var:Form.correction ?></textarea>
    <p class="note" id="help-correction"><?cs var:Admin.form.correction_help ?></p>
    <?cs call:admin_error(Form.error.correction, "correction") ?>
  </div><?cs /if ?><?cs /each ?>
  <div class="field<?cs if:Form.error.reply ?> has-error<?cs /if ?>" id="field-reply">
    <label for="in-reply"><?cs var:Admin.form.reply ?> <span class="opt"><?cs var:Admin.form.optional ?></span></label>
    <textarea id="in-reply" name="reply" rows="5" maxlength="5000"><?cs var:Form.reply ?></textarea>
    <?cs if:Form.error.reply ?><p class="error" role="alert" id="err-reply"><?cs var:Admin.form.error[Form.error.reply] ?></p><?cs /if ?>
  </div>
  <button type="submit"><?cs var:Admin.form.submit ?></button>
</form>
<?cs /if ?>

<?cs if:Assign.show ?>
<h2 id="assign"><?cs var:Admin.assign.title ?></h2>
<form method="post" action="<?cs var:Form.action ?>" class="citizen admin-assign" id="assign-form">
  <input type="hidden" name="action" value="assign">
  <input type="hidden" name="token" value="<?cs var:Assign.token ?>">
  <input type="hidden" name="state" value="<?cs var:Assign.state ?>">
  <?cs call:admin_error(Assign.error.token, "assign-token") ?>
  <div class="field<?cs if:Assign.error.department_id ?> has-error<?cs /if ?>" id="field-department_id">
    <label for="in-department"><?cs var:Admin.assign.department ?> <span class="req">*</span></label>
    <select id="in-department" name="department_id" required>
      <option value=""><?cs var:Admin.assign.choose ?></option>
      <?cs each:d = Departments ?><option value="<?cs var:d.id ?>"<?cs if:Assign.department ?><?cs if:d.id == Assign.department ?> selected<?cs /if ?><?cs elif:d.id == Case.department_id ?> selected<?cs /if ?>><?cs var:d.name ?> (<?cs var:d.district_label ?>)</option><?cs /each ?>
    </select>
    <?cs call:admin_error(Assign.error.department_id, "assign-department_id") ?>
  </div>
  <div class="field<?cs if:Assign.error.note ?> has-error<?cs /if ?>" id="field-assign-note">
    <label for="in-assign-note"><?cs var:Admin.form.note ?> <span class="req">*</span></label>
    <textarea id="in-assign-note" name="note" rows="2" maxlength="1000" required><?cs var:Assign.note ?></textarea>
    <?cs call:admin_error(Assign.error.note, "assign-note") ?>
  </div>
  <button type="submit"><?cs var:Admin.assign.submit ?></button>
</form>
<?cs /if ?>

<h2><?cs var:Admin.case.timeline ?></h2>
<ol class="timeline" id="case-timeline">
<?cs each:e = Case.events ?><li><time><?cs var:e.at ?></time> <strong><?cs var:e.label ?></strong><?cs if:e.note ?><br><span class="note"><?cs var:e.note ?></span><?cs /if ?></li>
<?cs /each ?>
</ol>
<h2><?cs var:Admin.case.audit ?></h2>
<div class="table-wrap"><table class="records" id="case-audit">
<thead><tr>
  <th scope="col"><?cs var:Admin.audit.at ?></th>
  <th scope="col"><?cs var:Admin.audit.actor ?></th>
  <th scope="col"><?cs var:Admin.audit.action ?></th>
  <th scope="col"><?cs var:Admin.audit.before ?></th>
  <th scope="col"><?cs var:Admin.audit.after ?></th>
</tr></thead>
<tbody>
<?cs each:a = Audit ?><tr><td class="date"><?cs var:a.at ?></td><td><?cs var:a.actor ?></td><td><?cs var:a.action ?></td><td><code><?cs var:a.before ?></code></td><td><code><?cs var:a.after ?></code></td></tr>
<?cs /each ?>
</tbody>
</table></div>
