<article class="error">
<h1><?cs var:Error.status ?> <?cs var:Admin.error[Error.code] ?></h1>
<?cs if:Error.detail ?><p class="detail" id="error-detail"><?cs var:Error.detail ?></p><?cs /if ?>
<p><a href="<?cs var:Page.Base ?>/queues"><?cs var:Admin.nav.overview ?></a></p>
</article>
