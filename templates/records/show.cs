<?cs with:r = Record ?>
<article class="record">
<p class="crumbs"><a href="<?cs var:Page.Base ?>/records"><?cs var:Lang.record.back ?></a></p>
<h1><?cs var:r.title ?></h1>
<p class="meta"><span class="no"><?cs var:Lang.record.no ?>: <strong class="recno" id="record-no"><?cs var:r.no ?></strong></span>
 <span class="sev sev-<?cs var:r.severity ?>"><?cs var:r.severity_label ?></span>
 <span class="status status-<?cs var:r.status ?>" id="record-status"><?cs var:r.status_label ?></span></p>
<?cs if:r.status == "contested" ?><p class="notice contested" role="note"><?cs var:Lang.record.contested ?></p><?cs /if ?>
<?cs if:r.status == "corrected" && r.correction_note ?><p class="notice corrected" role="note"><strong><?cs var:Lang.record.correction ?>:</strong> <?cs var:r.correction_note ?></p><?cs /if ?>

<section class="clock" aria-labelledby="clock-h">
<h2 id="clock-h"><?cs var:Lang.record.clock ?></h2>
<dl class="clock">
  <div><dt><?cs var:Lang.record.disclosed_on ?></dt><dd id="disclosed-on"><?cs var:r.disclosed_on ?></dd></div>
  <div><dt><?cs var:Lang.record.repair_from ?></dt><dd id="repair-from"><?cs if:r.repair_from ?><?cs var:r.repair_from ?><?cs else ?><?cs var:Lang.record.repair_none ?><?cs /if ?></dd></div>
  <div><dt><?cs var:Lang.record.withdraw_on ?></dt><dd id="withdraw-on"><?cs var:r.withdraw_on ?></dd></div>
</dl>
<p class="note"><?cs var:Lang.record.clock_note ?></p>
</section>

<section aria-labelledby="subject-h">
<h2 id="subject-h"><?cs var:Lang.record.subject ?></h2>
<dl class="fields">
  <div><dt><?cs var:Lang.record.subject ?></dt><dd><a href="<?cs var:Page.Base ?>/subjects/<?cs var:r.subject.id ?>"><?cs var:r.subject.name ?></a></dd></div>
  <div><dt><?cs var:Lang.record.kind ?></dt><dd><?cs var:r.subject.kind_label ?></dd></div>
  <?cs if:r.subject.credit_code ?><div><dt><?cs var:Lang.record.credit_code ?></dt><dd class="code"><?cs var:r.subject.credit_code ?></dd></div><?cs /if ?>
  <?cs if:r.subject.employer_name ?><div><dt><?cs var:Lang.record.employer ?></dt><dd><a href="<?cs var:Page.Base ?>/subjects/<?cs var:r.subject.employer_id ?>"><?cs var:r.subject.employer_name ?></a></dd></div><?cs /if ?>
  <?cs if:r.subject.position ?><div><dt><?cs var:Lang.record.position ?></dt><dd><?cs var:r.subject.position ?></dd></div><?cs /if ?>
  <?cs if:r.subject.id_masked ?><div><dt><?cs var:Lang.record.id_masked ?></dt><dd class="code" id="id-masked"><?cs var:r.subject.id_masked ?></dd></div><?cs /if ?>
  <div><dt><?cs var:Lang.record.district ?></dt><dd><?cs var:r.subject.district_label ?></dd></div>
  <div><dt><?cs var:Lang.record.level ?></dt><dd><?cs var:r.subject.level_label ?></dd></div>
</dl>
</section>

<section aria-labelledby="facts-h">
<h2 id="facts-h"><?cs var:Lang.record.facts ?></h2>
<p class="facts"><?cs var:r.facts ?></p>
<dl class="fields">
  <div><dt><?cs var:Lang.record.category ?></dt><dd><?cs var:r.category_label ?></dd></div>
  <div><dt><?cs var:Lang.record.domain ?></dt><dd><?cs var:r.domain_label ?></dd></div>
  <div><dt><?cs var:Lang.record.legal_basis ?></dt><dd><?cs var:r.legal_basis ?></dd></div>
  <div><dt><?cs var:Lang.record.decision_no ?></dt><dd id="decision-no" class="docno"><?cs var:r.decision_no ?></dd></div>
  <div><dt><?cs var:Lang.record.authority ?></dt><dd><?cs var:r.authority ?></dd></div>
  <div><dt><?cs var:Lang.record.decided_on ?></dt><dd><?cs var:r.decided_on ?></dd></div>
  <div><dt><?cs var:Lang.record.department ?></dt><dd><?cs var:r.department ?></dd></div>
  <?cs if:r.amount ?><div><dt><?cs var:Lang.record.amount ?></dt><dd><span class="amount" id="amount"><?cs if:r.amount_fmt ?><?cs var:r.amount_fmt ?><?cs else ?><?cs var:r.amount ?><?cs /if ?> <?cs var:Lang.record.yuan ?></span></dd></div><?cs /if ?>
  <?cs if:r.rectification ?><div><dt><?cs var:Lang.record.rectification ?></dt><dd><?cs var:r.rectification ?></dd></div><?cs /if ?>
  <?cs if:r.rectify_due ?><div><dt><?cs var:Lang.record.rectify_due ?></dt><dd><?cs var:r.rectify_due ?></dd></div><?cs /if ?>
  <div><dt><?cs var:Lang.record.rectified ?></dt><dd><?cs if:r.rectified == "1" ?><?cs var:Lang.record.done ?><?cs else ?><?cs var:Lang.record.not_done ?><?cs /if ?></dd></div>
</dl>
</section>

<section aria-labelledby="timeline-h">
<h2 id="timeline-h"><?cs var:Lang.record.timeline ?></h2>
<ol class="timeline">
<?cs each:e = Events ?><li class="ev-<?cs var:e.event ?>"><time><?cs var:e.on ?></time> <strong><?cs var:e.label ?></strong><?cs if:e.decision_no ?> · <?cs var:e.decision_no ?><?cs /if ?><?cs if:e.note ?><br><span class="note"><?cs var:e.note ?></span><?cs /if ?></li><?cs /each ?>
</ol>
</section>

<section class="actions">
<p class="act"><a class="button" id="objection-link" href="<?cs var:Page.Base ?>/records/<?cs var:r.no ?>/objection"><?cs var:Lang.record.objection ?></a>
<?cs if:r.repair_open == "1" ?> <a class="button" id="repair-link" href="<?cs var:Page.Base ?>/records/<?cs var:r.no ?>/repair"><?cs var:Lang.record.repair ?></a><?cs /if ?></p>
<?cs if:r.repair_from ?><?cs if:r.repair_open == "1" ?><p><?cs var:Lang.record.repair_open ?></p><?cs else ?><p id="repair-wait"><?cs var:Lang.record.repair_wait_pre ?> <?cs var:r.repair_from ?> <?cs var:Lang.record.repair_wait_post ?></p><?cs /if ?><?cs /if ?>
<p class="permalink"><?cs var:Lang.record.permalink ?>: <a href="<?cs var:Page.Base ?>/records/<?cs var:r.no ?>"><?cs var:Page.Base ?>/records/<?cs var:r.no ?></a></p>
</section>
</article>
<?cs /with ?>
