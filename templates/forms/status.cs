<article class="status-page">
<h1><?cs var:Lang.status.title ?></h1>
<?cs if:Case.no ?>
<section class="case" id="case">
<dl class="fields">
  <div><dt><?cs var:Lang.receipt.no ?></dt><dd id="case-no"><?cs var:Case.no ?></dd></div>
  <div><dt><?cs var:Lang.status.kind ?></dt><dd><?cs var:Lang.form[Case.kind].title ?></dd></div>
  <div><dt><?cs var:Lang.status.state ?></dt><dd id="case-status"><?cs var:Case.status_label ?></dd></div>
  <div><dt><?cs var:Lang.status.received ?></dt><dd><?cs var:Case.created_at ?></dd></div>
  <?cs if:Case.title ?><div><dt><?cs var:Lang.status.subject ?></dt><dd><?cs var:Case.title ?></dd></div><?cs /if ?>
  <?cs if:Case.record_no ?><div><dt><?cs var:Lang.form.concerns ?></dt><dd><a href="<?cs var:Page.Base ?>/records/<?cs var:Case.record_no ?>"><?cs var:Case.record_no ?></a></dd></div><?cs /if ?>
  <div><dt><?cs var:Lang.status.due ?></dt><dd id="case-due"><?cs if:Case.due_on ?><?cs var:Case.due_on ?><?cs else ?><?cs var:Lang.status.due_pending ?><?cs /if ?></dd></div>
  <?cs if:Case.reply_due_on ?><div><dt><?cs var:Lang.status.reply_due ?></dt><dd><?cs var:Case.reply_due_on ?></dd></div><?cs /if ?>
</dl>
<h2><?cs var:Lang.status.timeline ?></h2>
<ol class="timeline" id="case-timeline">
<?cs each:e = Case.events ?><li><time><?cs var:e.at ?></time> <strong><?cs var:e.label ?></strong><?cs if:e.note ?><br><span class="note"><?cs var:e.note ?></span><?cs /if ?></li><?cs /each ?>
</ol>
<h2><?cs var:Lang.status.reply ?></h2>
<p class="reply" id="case-reply"><?cs if:Case.reply ?><?cs var:Case.reply ?><?cs else ?><?cs var:Lang.status.no_reply ?><?cs /if ?></p>
</section>
<?cs else ?>
<?cs if:Lookup.message ?><div class="banner" role="alert" id="lookup-message"><?cs var:Lang.status.message[Lookup.message] ?></div><?cs /if ?>
<form method="post" action="<?cs var:Page.Base ?>/complaints/status" class="citizen lookup" autocomplete="off">
  <div class="field"><label for="in-receipt"><?cs var:Lang.receipt.no ?></label>
  <input id="in-receipt" name="receipt" value="<?cs var:Lookup.receipt ?>" maxlength="24" placeholder="TS-20260101-000001"></div>
  <div class="field"><label for="in-code"><?cs var:Lang.receipt.code ?></label>
  <input id="in-code" name="code" value="" maxlength="24" placeholder="XXXX-XXXX-XXXXX"></div>
  <button type="submit"><?cs var:Lang.status.submit ?></button>
</form>
<p class="note"><?cs var:Lang.status.help ?></p>
<?cs /if ?>
</article>
