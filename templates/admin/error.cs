<article class="error">
<h1><?cs var:Error.status ?> <?cs var:Admin.error[Error.code] ?></h1>
<?cs if:Error.detail ?><p class="detail" id="error-detail"><?cs var:Error.detail ?></p><?cs /if ?>
<?cs if:Error.code == "not_staff" ?><p id="not-staff-help"><?cs var:Admin.error.not_staff_help ?></p>
<?cs else ?><p><a href="<?cs var:Page.Base ?>/queues"><?cs var:Admin.nav.overview ?></a></p><?cs /if ?>
</article>
