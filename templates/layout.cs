<?cs include:"macros.cs" ?><?cs
# The same page in the other language: ?lang= sets the cookie that keeps the
  choice on every following link. The POST-only /complaints falls back to its
  form; a record list keeps its filters. ?><?cs
def:lang_href(code) ?><?cs var:Page.Base ?><?cs if:Page.Route == "complaints" ?>/complaints/new<?cs else ?><?cs var:Page.Path ?><?cs /if ?>?<?cs if:Page.Route == "records" && List.query ?><?cs var:List.query ?>&amp;<?cs /if ?>lang=<?cs var:code ?><?cs /def ?><!DOCTYPE html>
<html lang="<?cs var:Lang.code ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?cs if:Page.Title ?><?cs var:Page.Title ?><?cs else ?><?cs var:Lang.site ?> <?cs var:Lang.portal ?><?cs /if ?></title>
<?cs if:Page.Description ?><meta name="description" content="<?cs var:Page.Description ?>"><?cs /if ?>
<link rel="stylesheet" href="<?cs var:Page.Base ?>/static/css/credit.css">
<link rel="icon" type="image/svg+xml" href="<?cs var:Page.Base ?>/static/img/favicon.svg">
<link rel="alternate" type="application/atom+xml" title="<?cs var:Lang.feed.title ?>" href="<?cs var:Page.Base ?>/feed.atom<?cs if:Page.Route == "records" && List.query ?>?<?cs var:List.query ?><?cs /if ?>">
</head>
<body class="route-<?cs var:Page.Route ?>">
<a class="skip" href="#main"><?cs var:Lang.skip ?></a>
<header class="site">
  <div class="wrap">
    <a class="brand" href="<?cs var:Page.Base ?>/"><span class="brand-main"><?cs var:Lang.site ?></span> <span class="brand-sub"><?cs var:Lang.portal ?></span></a>
    <nav aria-label="<?cs var:Lang.nav.home ?>">
      <a href="<?cs var:Page.Base ?>/"<?cs if:Page.Route == "home" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.nav.home ?></a>
      <a href="<?cs var:Page.Base ?>/records"<?cs if:Page.Route == "records" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.nav.records ?></a>
      <a href="<?cs var:Page.Base ?>/ratings"<?cs if:Page.Route == "ratings" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.nav.ratings ?></a>
      <a href="<?cs var:Page.Base ?>/commitments"<?cs if:Page.Route == "commitments" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.nav.commitments ?></a>
      <a href="<?cs var:Page.Base ?>/stats"<?cs if:Page.Route == "stats" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.nav.stats ?></a>
      <a href="<?cs var:Page.Base ?>/complaints/new"<?cs if:Page.Route == "complaint_new" || Page.Route == "complaints" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.nav.complaints ?></a>
      <a href="<?cs var:Page.Base ?>/complaints/status"<?cs if:Page.Route == "case_status" ?> aria-current="page"<?cs /if ?>><?cs var:Lang.nav.status ?></a>
      <a href="<?cs var:Page.Base ?>/api/v1/openapi.json"><?cs var:Lang.nav.api ?></a>
      <?cs if:Lang.code == "en" ?><a class="lang-switch" id="lang-switch" href="<?cs call:lang_href("zh-CN") ?>" hreflang="zh-CN" lang="zh-CN">中文</a><?cs else ?><a class="lang-switch" id="lang-switch" href="<?cs call:lang_href("en") ?>" hreflang="en" lang="en">English</a><?cs /if ?>
    </nav>
  </div>
</header>
<main id="main" class="wrap">
<?cs include:Page.Template ?>
</main>
<footer class="site">
  <div class="wrap">
    <p><?cs var:Lang.footer.basis ?></p>
    <p><?cs var:Lang.footer.masking ?></p>
  </div>
</footer>
</body>
</html>
