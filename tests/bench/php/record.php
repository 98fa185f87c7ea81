<?php
// make bench's comparison page (issue 10 point 8): the record page as a plain
// PHP 8.2-FPM page would serve it, from the same database, behind the same
// httpd. One statement (the module's own: the record, its subject,
// department, employer, the data version and the events up to today),
// fields escaped with htmlspecialchars into the frame of a page the module
// rendered (tests/bench/php/frame.php, written by scripts/bench.sh), PDO with
// persistent connections and server-side prepared statements, opcache on.
// Not part of the portal.
require __DIR__ . '/frame.php';

$no = $_GET['no'] ?? '';
if (!preg_match('/^TJZW-\d{4}-\d{6}$/', $no)) {
    http_response_code(400);
    exit;
}
$pdo = new PDO(getenv('BENCH_DSN'), getenv('BENCH_USER'), getenv('BENCH_PASS'), [
    PDO::ATTR_PERSISTENT => true,
    PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
    PDO::ATTR_EMULATE_PREPARES => false,
    PDO::MYSQL_ATTR_INIT_COMMAND => "SET NAMES utf8mb4, time_zone = '+08:00'",
]);
$st = $pdo->prepare(
    'SELECT STRAIGHT_JOIN r.id, r.record_no, r.category, r.domain, r.severity, r.status, r.title,'
    . ' r.decision_no, r.authority, r.decided_on, r.disclosed_on, r.repair_from, r.withdraw_on,'
    . ' r.withdrawn_on, r.updated_at, r.amount, r.district AS district,'
    . ' s.id AS subject_id, s.name AS subject_name, s.kind AS subject_kind,'
    . ' s.credit_code, s.level AS subject_level, s.position, s.id_masked,'
    . ' r.facts, r.legal_basis, r.rectification, r.rectify_due, r.rectified, r.correction_note,'
    . ' d.name AS department, e.id AS employer_id, e.name AS employer_name,'
    . ' dv.version AS dv_version, dv.changed_at AS dv_changed_at,'
    . ' ev.event AS ev_event, ev.occurred_on AS ev_on, ev.decision_no AS ev_decision_no,'
    . ' ev.note AS ev_note'
    . ' FROM records r JOIN subjects s ON s.id = r.subject_id'
    . ' JOIN departments d ON d.id = r.department_id'
    . ' LEFT JOIN subjects e ON e.id = s.employer_id JOIN data_version dv ON dv.id = 1'
    . ' LEFT JOIN record_events ev ON ev.record_id = r.id AND ev.occurred_on <= CURDATE()'
    . ' WHERE r.record_no = ? ORDER BY ev.occurred_on, ev.id'
);
$st->execute([$no]);
$rows = $st->fetchAll(PDO::FETCH_ASSOC);
$today = date('Y-m-d');
$r = $rows[0] ?? null;
if (!$r || $r['disclosed_on'] > $today || $r['withdraw_on'] <= $today
    || !in_array($r['status'], ['published', 'contested', 'corrected'], true)) {
    http_response_code(404);
    exit;
}
function h($s)
{
    return htmlspecialchars((string)$s, ENT_QUOTES | ENT_HTML5, 'UTF-8');
}
header('Content-Type: text/html; charset=utf-8');
header('Cache-Control: public, max-age=60');
header('ETag: "' . $r['dv_version'] . '-' . $r['id'] . '"');
echo $FRAME_HEAD;
echo '<article class="record"><h1>', h($r['title']), '</h1><dl class="facts">';
$fields = [
    '信用记录编号' => $r['record_no'], '失信主体' => $r['subject_name'],
    '统一社会信用代码' => $r['credit_code'], '层级' => $r['subject_level'],
    '职务' => $r['position'], '身份证号' => $r['id_masked'], '所属单位' => $r['employer_name'],
    '区' => $r['district'], '类别' => $r['category'], '领域' => $r['domain'],
    '严重程度' => $r['severity'], '状态' => $r['status'], '决定文书号' => $r['decision_no'],
    '作出决定机关' => $r['authority'], '责任部门' => $r['department'],
    '决定日期' => $r['decided_on'], '公开日期' => $r['disclosed_on'],
    '可申请信用修复' => $r['repair_from'], '公示截止' => $r['withdraw_on'],
    '涉及金额' => $r['amount'] === null ? '' : number_format((float)$r['amount'], 2),
    '更新时间' => $r['updated_at'],
];
foreach ($fields as $k => $v) {
    if ($v !== null && $v !== '') {
        echo '<dt>', h($k), '</dt><dd>', h($v), '</dd>';
    }
}
echo '</dl><section><h2>失信事实</h2><p>', nl2br(h($r['facts'])), '</p></section>';
echo '<section><h2>依据</h2><p>', nl2br(h($r['legal_basis'])), '</p></section>';
if ($r['rectification'] !== null && $r['rectification'] !== '') {
    echo '<section><h2>整改情况</h2><p>', nl2br(h($r['rectification'])), '</p><p>整改期限 ',
        h($r['rectify_due']), $r['rectified'] ? '（已整改）' : '', '</p></section>';
}
if ($r['correction_note'] !== null && $r['correction_note'] !== '') {
    echo '<section><h2>更正说明</h2><p>', h($r['correction_note']), '</p></section>';
}
echo '<section><h2>记录变化</h2><ol class="events">';
foreach ($rows as $e) {
    if ($e['ev_event'] !== null) {
        echo '<li><time>', h($e['ev_on']), '</time> ', h($e['ev_event']), ' ', h($e['ev_decision_no']),
            ' ', h($e['ev_note']), '</li>';
    }
}
echo '</ol></section><p class="actions"><a href="/credit/objections/new?record=', urlencode($r['record_no']),
    '">提出异议</a> <a href="/credit/repairs/new?record=', urlencode($r['record_no']),
    '">申请信用修复</a></p></article>';
echo $FRAME_TAIL;
