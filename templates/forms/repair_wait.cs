<article class="form-page">
<h1><?cs var:Lang.form.repair.title ?></h1>
<p class="concerns"><?cs var:Lang.form.concerns ?>:<a href="<?cs var:Page.Base ?>/records/<?cs var:Record.no ?>"><?cs var:Record.no ?></a> <?cs var:Record.title ?></p>
<?cs if:Repair.not_rectified ?>
<div class="banner" id="repair-not-yet"><?cs var:Lang.form.repair.not_rectified ?></div>
<?cs elif:Record.repair_from ?>
<div class="banner" id="repair-not-yet"><?cs var:Lang.form.repair.wait_pre ?> <strong id="repair-date"><?cs var:Record.repair_from ?></strong> <?cs var:Lang.form.repair.wait_post ?></div>
<p><?cs var:Lang.form.repair.why ?></p>
<?cs else ?>
<div class="banner" id="repair-not-yet"><?cs var:Lang.form.repair.minor ?> <strong><?cs var:Record.withdraw_on ?></strong></div>
<?cs /if ?>
</article>
