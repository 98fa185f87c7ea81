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
</article>
<?cs /with ?>
