"""The search designs measured, each answering the same question:
  top(q)   -> list of the 21 newest matching public record ids (disclosed_on DESC, id DESC)
  count(q) -> (n, exact): exact count, or (10001, False) meaning "more than 10,000"
A query q is a dict: word, filters (list of (column, value)), today ('YYYY-MM-DD').
Every design holds one persistent connection (MariaDB protocol or HTTP keep-alive)."""
import MySQLdb, http.client, json, urllib.parse, os, datetime, calendar

DB = dict(unix_socket='/work/search-lab/var/run/mysqld.sock', user='root', db='credit',
          charset='utf8mb4')
BOUND = 10000
LIMIT = 21
FILTER_COLS = ('district', 'subject_kind', 'category', 'domain', 'severity', 'status')


def esc_grn(s):
    """a Groonga script string literal"""
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def esc_boolean(s):
    """a Mroonga BOOLEAN MODE phrase, as credit_query_groonga writes it"""
    return '+"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


class Maria:
    def __init__(self):
        self.c = MySQLdb.connect(**DB)
        self.c.autocommit(True)
        self.cur = self.c.cursor()
        self.cur.execute("SET time_zone = '+08:00'")
        self.prepared = {}

    def execute(self, sql, args=()):
        """server-side prepared statement (as credit_db.c does), params as strings/ints,
        run with EXECUTE ... USING literals: one round trip per execution."""
        name = self.prepared.get(sql)
        if name is None:
            name = 'st%d' % len(self.prepared)
            self.cur.execute('PREPARE %s FROM %s' % (name, self.c.literal(sql).decode()))
            self.prepared[sql] = name
        if args:
            lits = ','.join(self.c.literal(a).decode() if isinstance(a, str) else str(int(a))
                            for a in args)
            self.cur.execute('EXECUTE %s USING %s' % (name, lits))
        else:
            self.cur.execute('EXECUTE %s' % name)
        return self.cur.fetchall()

    def status(self, like):
        self.cur.execute("SHOW SESSION STATUS LIKE %s", (like,))
        return {k: int(v) for k, v in self.cur.fetchall()}


class A(Maria):
    """Mroonga as mod_credit queries it today (list_search / count_text)."""
    name = 'A'

    def where(self, q):
        sql = (" WHERE MATCH(x.body) AGAINST(? IN BOOLEAN MODE)"
               " AND x.listed = 1 AND x.disclosed_on <= ? AND x.withdraw_on > ?")
        args = [esc_boolean(q['word']), q['today'], q['today']]
        for col, val in q['filters']:
            sql += ' AND x.%s = ?' % col
            args.append(val)
        return sql, args

    def top(self, q):
        w, a = self.where(q)
        rows = self.execute('SELECT x.record_id FROM record_search x' + w +
                            ' ORDER BY x.disclosed_on DESC, x.record_id DESC LIMIT ?', a + [LIMIT])
        return [r[0] for r in rows]

    def count(self, q):
        w, a = self.where(q)
        return self.execute('SELECT COUNT(*) AS n FROM record_search x' + w, a)[0][0], True

    def top_relevance(self, q):
        w, a = self.where(q)
        rows = self.execute('SELECT x.record_id FROM record_search x' + w +
                            ' ORDER BY MATCH(x.body) AGAINST(? IN BOOLEAN MODE) DESC,'
                            ' x.record_id DESC LIMIT ?', a + [esc_boolean(q['word']), LIMIT])
        return [r[0] for r in rows]


def grn_script(q, date_lit, col_body='body'):
    """the whole condition in Groonga script syntax"""
    t = date_lit(q['today'])
    s = '%s @ %s && listed == 1 && disclosed_on <= %s && withdraw_on > %s' % (
        col_body, esc_grn(q['word']), t, t)
    for col, val in q['filters']:
        s += ' && %s == %s' % (col, esc_grn(val))
    return s


def mrn_time(d):
    # Mroonga stores DATE as Time; Groonga parses this literal in the server's local time,
    # which is how Mroonga converted the stored DATE (verified against the oracle).
    return '"%s 00:00:00"' % d


class B(Maria):
    """Mroonga, every condition inside the engine (*SS pragma): fast_order_limit and
    count_skip fire (see SHOW STATUS counters)."""
    name = 'B'
    TABLE = 'record_search'

    def against(self, q):
        return '*SS ' + grn_script(q, mrn_time)

    def top(self, q):
        rows = self.execute('SELECT x.record_id FROM %s x'
                            ' WHERE MATCH(x.body) AGAINST(? IN BOOLEAN MODE)'
                            ' ORDER BY x.disclosed_on DESC, x.record_id DESC LIMIT ?' % self.TABLE,
                            [self.against(q), LIMIT])
        return [r[0] for r in rows]

    def count(self, q):
        return self.execute('SELECT COUNT(*) FROM %s x'
                            ' WHERE MATCH(x.body) AGAINST(? IN BOOLEAN MODE)' % self.TABLE,
                            [self.against(q)])[0][0], True


class B3(B):
    """B on record_search_ss: the same Mroonga table without the per-column secondary
    indexes, so that Groonga 7.0.7 checks the window and filters on the hits one by one
    instead of intersecting each condition's whole index."""
    name = 'B3'
    TABLE = 'record_search_ss'


class B2(Maria):
    """Mroonga's own Groonga through MariaDB: mroonga_command('select ...') returns the
    21 newest ids and the exact hit count (nhits) in one statement."""
    name = 'B2'
    TABLE = 'record_search'

    def both(self, q):
        cmd = ('select ' + self.TABLE + ' --filter %s --sort_keys -disclosed_on,-_key --limit %d'
               ' --output_columns _key --cache no' % (esc_grn(grn_script(q, mrn_time)), LIMIT))
        r = json.loads(self.execute('SELECT mroonga_command(?)', [cmd])[0][0])
        return [row[0] for row in r[0][2:]], r[0][0][0]

    def top(self, q):
        return self.both(q)[0]

    def count(self, q):
        return self.both(q)[1], True


class B4(B2):
    """B2 on record_search_ss (no secondary indexes): one mroonga_command per search."""
    name = 'B4'
    TABLE = 'record_search_ss'


def grn_day(d):
    return d.replace('-', '')  # UInt32 yyyymmdd


class C:
    """Groonga 13 standalone HTTP server, keep-alive connection."""
    name = 'C'

    def __init__(self):
        self.port = int(os.environ.get('GRN_PORT', '10441'))
        self.h = http.client.HTTPConnection('127.0.0.1', self.port)

    def select(self, q, limit, sort='-disclosed_on,-_key'):
        p = {'table': 'Records', 'filter': grn_script(q, grn_day), 'limit': limit,
             'output_columns': '_key', 'cache': 'no'}
        if limit:
            p['sort_keys'] = sort
        for attempt in (0, 1):
            try:
                self.h.request('GET', '/d/select?' + urllib.parse.urlencode(p))
                r = json.loads(self.h.getresponse().read())
                break
            except (http.client.HTTPException, ConnectionError):
                self.h = http.client.HTTPConnection('127.0.0.1', self.port)
        if r[0][0] != 0:
            raise RuntimeError(r[0])
        res = r[1][0]
        return [row[0] for row in res[2:]], res[0][0]

    def both(self, q):
        return self.select(q, LIMIT)

    def top(self, q):
        return self.select(q, LIMIT)[0]

    def count(self, q):
        return self.select(q, 0)[1], True

    def top_relevance(self, q):
        return self.select(q, LIMIT, '-_score,-_key')[0]


class D(Maria):
    """Sphinx 2.2.11 over SphinxQL (MySQL protocol), CJK chars as 1-grams + phrase."""
    name = 'D'

    def __init__(self):
        self.c = MySQLdb.connect(host='127.0.0.1', port=int(os.environ.get('SPHINX_PORT', 9406)),
                                 charset='utf8')
        self.cur = self.c.cursor()

    def where(self, q):
        t = q['today'].replace('-', '')
        s = ("WHERE MATCH('\"%s\"') AND listed = 1 AND disclosed_on <= %s AND withdraw_on > %s"
             % (q['word'], t, t))
        for col, val in q['filters']:
            s += " AND %s = %d" % (col, D.CODES[col].index(val) + 1)
        return s

    CODES = {'district': ['city', 'heping', 'hedong', 'hexi', 'nankai', 'hebei', 'hongqiao',
                          'dongli', 'xiqing', 'jinnan', 'beichen', 'wuqing', 'baodi', 'binhai',
                          'ninghe', 'jinghai', 'jizhou'],
             'subject_kind': ['gov', 'official'],
             'category': ['judgment', 'penalty', 'discipline', 'accountability', 'breach'],
             'domain': ['procurement', 'ppp', 'bidding', 'investment', 'debt', 'grassroots',
                        'other'],
             'severity': ['minor', 'general', 'serious'],
             'status': ['published', 'contested', 'corrected', 'repaired', 'revoked', 'expired']}

    def both(self, q):
        self.cur.execute("SELECT id FROM records %s ORDER BY disclosed_on DESC, id DESC"
                         " LIMIT %d OPTION max_matches=%d, ranker=none" % (self.where(q), LIMIT, LIMIT))
        ids = [r[0] for r in self.cur.fetchall()]
        self.cur.execute("SHOW META LIKE 'total_found'")
        return ids, int(self.cur.fetchall()[0][1])

    def top(self, q):
        return self.both(q)[0]

    def count(self, q):
        return self.both(q)[1], True


# ---------------------------------------------------------------- E: hybrid planner
PUBLIC_R = ("r.status IN ('published','contested','corrected')"
            " AND r.disclosed_on <= ? AND r.withdraw_on > ?")
BODY_R = "CONCAT_WS(' ', r.record_no, s.name, r.title, r.facts, r.decision_no)"


class E(B3):
    """Hybrid: a per-word document frequency decides, cached in InnoDB table lab_word_df
    (filled on a miss by one engine query: the word's hit count and, by drilldown, its hit
    count per filter value, e.g. per district).
      frequent word (estimated share p of matching rows in the walked range >= P_MIN):
        walk InnoDB in date order (index (filter, disclosed_on, id, status, withdraw_on))
        testing LIKE on the text, guarded by LIMIT ROWS EXAMINED; the guard tripping
        falls back to the engine.
      rare word: the engine (B3's *SS query) gives the ids.
    Count: the engine's exact count (count_skip). A bounded count (COUNT over a LIMIT 10001
    subquery) by walking is available (E_COUNT_MIN_DF) but measured to lose; see REPORT."""
    name = 'E'
    P_MIN = float(os.environ.get('E_P_MIN', 21 / 2000))        # walk if >= 21 matches expected in 2000 rows
    WALK_GUARD = int(os.environ.get('E_WALK_GUARD', 10000))    # LIMIT ROWS EXAMINED for top 21
    COUNT_MIN_DF = int(os.environ.get('E_COUNT_MIN_DF', 10**12))  # df >= this: bounded count by walk
    COUNT_GUARD = int(os.environ.get('E_COUNT_GUARD', 60000))
    DRILL = ('district,subject_kind,category,domain,severity,status')

    def __init__(self):
        super().__init__()
        self.df_cache = {}
        self.last_path = ''
        # rows per filter value (one drilldown over the whole table; cached once a day in
        # production). Done here, before any timing starts.
        self.totals = self.drill(None)

    def drill(self, filt):
        cmd = ('select record_search_ss %s --limit 0 --drilldown %s --drilldown_output_columns'
               ' _key,_nsubrecs --drilldown_limit -1 --cache no'
               % (('--filter ' + esc_grn(filt)) if filt else '', self.DRILL))
        r = json.loads(self.execute('SELECT mroonga_command(?)', [cmd])[0][0])
        by = {}
        for col, dd in zip(self.DRILL.split(','), r[1:]):
            by[col] = {k: n for k, n in dd[2:]}
        return r[0][0][0], by

    def df(self, w):
        # the per-process dict stands for the module's per-child cache; a miss reads the
        # InnoDB table, a miss there asks the engine once and stores it.
        d = self.df_cache.get(w)
        if d is None:
            rows = self.execute('SELECT df, by_value FROM lab_word_df WHERE word = ?', [w])
            if rows:
                d = (rows[0][0], json.loads(rows[0][1]))
            else:
                d = self.drill('body @ ' + esc_grn(w))
                self.execute('INSERT IGNORE INTO lab_word_df (word, df, by_value) VALUES (?, ?, ?)',
                             [w, d[0], json.dumps(d[1])])
            self.df_cache[w] = d
        return d

    def share(self, q):
        """estimated share of rows containing w in the range the walk reads"""
        if self.totals is None:
            self.totals = self.drill(None)
        df, by = self.df(q['word'])
        if df == 0:
            return 0.0
        if not q['filters']:
            return df / self.totals[0]
        best = None
        for col, val in q['filters']:
            p = by[col].get(val, 0) / max(1, self.totals[1][col].get(val, 1))
            if best is None or p < best[0]:
                best = (p, col)
        p, walked = best
        for col, val in q['filters']:
            if col != walked:
                p *= by[col].get(val, 0) / df
        return p

    def walk_sql(self, q, select, tail):
        sql = (select + " FROM records r JOIN subjects s ON s.id = r.subject_id WHERE "
               + PUBLIC_R)
        args = [q['today'], q['today']]
        for col, val in q['filters']:
            sql += ' AND r.%s = ?' % col
            args.append(val)
        sql += ' AND ' + BODY_R + ' LIKE ?'
        args.append('%' + q['word'].replace('\\', '\\\\').replace('%', '\\%')
                    .replace('_', '\\_') + '%')
        return sql + tail, args

    def guarded(self, sql, args):
        rows = self.execute(sql, args)
        self.cur.execute('SHOW WARNINGS')
        tripped = any(w[1] == 1931 for w in self.cur.fetchall())  # ER_QUERY_RESULT_INCOMPLETE
        return rows, tripped

    def top(self, q):
        if self.share(q) >= self.P_MIN:
            sql, args = self.walk_sql(q, 'SELECT r.id',
                                      ' ORDER BY r.disclosed_on DESC, r.id DESC LIMIT %d'
                                      ' ROWS EXAMINED %d' % (LIMIT, self.WALK_GUARD))
            rows, tripped = self.guarded(sql, args)
            if not tripped or len(rows) == LIMIT:
                self.last_path = 'walk'
                return [r[0] for r in rows]
            self.last_path = 'walk>engine'
        else:
            self.last_path = 'engine'
        return super().top(q)

    def count(self, q):
        if self.df(q['word'])[0] >= self.COUNT_MIN_DF:
            sql, args = self.walk_sql(q, 'SELECT COUNT(*) FROM (SELECT 1',
                                      ' LIMIT %d) t LIMIT 1 ROWS EXAMINED %d'
                                      % (BOUND + 1, self.COUNT_GUARD))
            rows, tripped = self.guarded(sql, args)
            if rows and rows[0][0] > BOUND:
                self.last_path += '/cwalk'
                return BOUND + 1, False
            self.last_path += '/cwalk>engine'
        else:
            self.last_path += '/cengine'
        return super().count(q)


class Oracle(Maria):
    """LIKE over the InnoDB source text: all matching ids, newest first."""
    name = 'O'

    def all(self, q):
        sql = ("SELECT r.id FROM records r JOIN subjects s ON s.id = r.subject_id WHERE "
               + PUBLIC_R)
        args = [q['today'], q['today']]
        for col, val in q['filters']:
            sql += ' AND r.%s = ?' % col
            args.append(val)
        sql += ' AND ' + BODY_R + ' LIKE ? ORDER BY r.disclosed_on DESC, r.id DESC'
        args.append('%' + q['word'] + '%')
        return [r[0] for r in self.execute(sql, args)]


DESIGNS = {'A': A, 'B': B, 'B3': B3, 'B2': B2, 'B4': B4, 'C': C, 'D': D, 'E': E, 'O': Oracle}


class EC(E):
    """E with Groonga 13 (design C's server) as the engine: rare-word ids and every count
    come from C over HTTP keep-alive; frequent words still walk InnoDB."""
    name = 'EC'

    def __init__(self):
        super().__init__()
        self.grn = C()

    def top(self, q):
        if self.share(q) >= self.P_MIN:
            sql, args = self.walk_sql(q, 'SELECT r.id',
                                      ' ORDER BY r.disclosed_on DESC, r.id DESC LIMIT %d'
                                      ' ROWS EXAMINED %d' % (LIMIT, self.WALK_GUARD))
            rows, tripped = self.guarded(sql, args)
            if not tripped or len(rows) == LIMIT:
                self.last_path = 'walk'
                return [r[0] for r in rows]
            self.last_path = 'walk>engine'
        else:
            self.last_path = 'engine'
        return self.grn.top(q)

    def count(self, q):
        self.last_path += '/cengine'
        return self.grn.count(q)


DESIGNS['EC'] = EC
