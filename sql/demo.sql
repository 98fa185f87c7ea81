-- Demo data for 信用天津 (mod_credit): departments, subjects, @demo_records
-- records with their public timelines, ratings and commitments.
--
--   { echo "SET @demo_records = N;"; cat sql/demo.sql; } | mariadb ... credit
--
-- Run once after all migrations, on a database without records (scripts/db.sh
-- checks). Everything is set-based (SEQUENCE engine + INSERT ... SELECT) and
-- deterministic for a given N and CURDATE(): pseudo-random choices come from
-- MD5/CRC32 of the row number, never from RAND(). The only loop is over
-- chunks of 100,000 records, to keep transactions moderate.
--
-- Disclosure dates spread from CURDATE() - 42 months to CURDATE(), so that
-- disclosure windows (records.withdraw_on, computed by the schema) end in the
-- past, today and in the future; records 1..36 are pinned so that every
-- severity has withdraw_on = yesterday, today and tomorrow (4 records each).
-- The status logic below mirrors the schema's repair_from/withdraw_on
-- formulas (minor 3 months; general 3 months/1 year; serious 1/3 years).
--
-- Limits: record_no has six digits per disclosure year, so N up to about
-- 3,400,000. Personal data is fictitious; ID-card numbers are made up (with
-- a valid check digit) and only their masked form and a plain SHA-256 are
-- stored (the application uses a keyed HMAC, so they never match real input).
--
-- Departments, subjects, ratings and commitments are inserted so that a
-- rerun after a failed load reuses what is there (matched on department
-- code, credit code and ID hash). Left behind on purpose: the function
-- credit_code_check(), the GB 32100-2015 check character of a unified social
-- credit code. Helper tables (demo_*, MyISAM), helper functions and the
-- loader procedure are dropped at the end.
--
-- Progress: the script selects marker rows that scripts/db.sh reads as they
-- come (mariadb --unbuffered): '@phase', name at the start of each phase,
-- '@rows', done, total after each chunk of records, '@counts', ... at the end.
--
-- Scale: 156 departments, 1,740 government bodies, 3,000 officials whatever
-- N; N = 1,000,000 records (+1.26 M events) load in about 3 minutes on two
-- cores, N = 10,000 in about 4 seconds.

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Refuse to run on a database that already has records: record numbers would
-- collide (and unique checks are relaxed during the bulk load).
DELIMITER $$
DROP PROCEDURE IF EXISTS demo_guard $$
CREATE PROCEDURE demo_guard()
BEGIN
    IF EXISTS (SELECT 1 FROM records) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'demo.sql: records already present; start from an empty database';
    END IF;
END $$
DELIMITER ;
CALL demo_guard();
DROP PROCEDURE demo_guard;

SET @demo_records = GREATEST(COALESCE(@demo_records, 10000), 0);
SET @today = CURDATE();
SET @from  = @today - INTERVAL 42 MONTH;
SET @days  = DATEDIFF(@today, @from);
SET @chunk = 100000;
SET SESSION foreign_key_checks = 0;
-- Keep implicit temporary tables (window functions, GROUP BY) in memory: an
-- on-disk one lives in tmpdir as #sql-temptable-*.MAI, and where tmpdir is a
-- shared /tmp such files have been seen deleted under the running statement
-- ("Error on delete of '/tmp/#sql-temptable-...MAI' (Errcode: 2)").
SET SESSION max_heap_table_size = 1073741824;
SET SESSION tmp_memory_table_size = 1073741824;

SELECT '@phase', 'departments and subjects';

-- ---------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------
DELIMITER $$

DROP FUNCTION IF EXISTS credit_code_check $$
CREATE FUNCTION credit_code_check(body CHAR(17)) RETURNS CHAR(1)
    DETERMINISTIC NO SQL
    COMMENT 'GB 32100-2015 check character for the first 17 characters of a unified social credit code; NULL if invalid'
BEGIN
    DECLARE alphabet VARCHAR(31) DEFAULT '0123456789ABCDEFGHJKLMNPQRTUWXY';
    DECLARE i INT DEFAULT 1;
    DECLARE s INT DEFAULT 0;
    DECLARE v INT;
    IF body IS NULL OR CHAR_LENGTH(body) <> 17 THEN
        RETURN NULL;
    END IF;
    WHILE i <= 17 DO
        SET v = INSTR(CAST(alphabet AS BINARY), CAST(SUBSTRING(body, i, 1) AS BINARY)) - 1;
        IF v < 0 THEN
            RETURN NULL;
        END IF;
        SET s = s + v * ELT(i, 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28);
        SET i = i + 1;
    END WHILE;
    RETURN SUBSTRING(alphabet, (31 - s MOD 31) MOD 31 + 1, 1);
END $$

-- GB 11714 organisation code check character (8 digits -> 0-9 or X).
DROP FUNCTION IF EXISTS demo_org_check $$
CREATE FUNCTION demo_org_check(body CHAR(8)) RETURNS CHAR(1)
    DETERMINISTIC NO SQL
BEGIN
    DECLARE i INT DEFAULT 1;
    DECLARE s INT DEFAULT 0;
    WHILE i <= 8 DO
        SET s = s + CAST(SUBSTRING(body, i, 1) AS UNSIGNED) * ELT(i, 3, 7, 9, 10, 5, 8, 4, 2);
        SET i = i + 1;
    END WHILE;
    RETURN ELT(11 - s MOD 11, '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', '0');
END $$

-- GB 11643 resident ID check character (ISO 7064 MOD 11-2).
DROP FUNCTION IF EXISTS demo_id_check $$
CREATE FUNCTION demo_id_check(body CHAR(17)) RETURNS CHAR(1)
    DETERMINISTIC NO SQL
BEGIN
    DECLARE i INT DEFAULT 1;
    DECLARE s INT DEFAULT 0;
    WHILE i <= 17 DO
        SET s = s + CAST(SUBSTRING(body, i, 1) AS UNSIGNED) * ELT(i, 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2);
        SET i = i + 1;
    END WHILE;
    RETURN SUBSTRING('10X98765432', s MOD 11 + 1, 1);
END $$

-- A 32-bit pseudo-random number for (salt, n); for the small tables only.
DROP FUNCTION IF EXISTS demo_hash $$
CREATE FUNCTION demo_hash(salt VARCHAR(16), n BIGINT) RETURNS INT UNSIGNED
    DETERMINISTIC NO SQL
    RETURN CONV(LEFT(MD5(CONCAT(salt, ':', n)), 8), 16, 10) $$

DELIMITER ;

-- ---------------------------------------------------------------------------
-- Word lists (space-separated) and small reference tables
-- ---------------------------------------------------------------------------
DROP TABLE IF EXISTS demo_list, demo_words, demo_district, demo_town, demo_gov, demo_off,
    demo_subj, demo_role, demo_pick, demo_pool, demo_dept, demo_domain, demo_conduct, demo_sanction,
    demo_h, demo_r1, demo_r2, demo_rec, demo_num, demo_rt, demo_ri;

CREATE TABLE demo_list (
    list  VARCHAR(16) NOT NULL PRIMARY KEY,
    items TEXT NOT NULL
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_list (list, items) VALUES
-- 常见姓氏, most frequent first (picked with a skew towards the front)
('surname', '王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗 梁 宋 郑 谢 韩 唐 冯 于 董 肖 程 曹 袁 邓 许 傅 沈 曾 彭 吕 苏 卢 蒋 蔡 贾 丁 魏 薛 叶 闫 余 潘 杜 戴 夏 钟 汪 田 任 姜 范 方 石 姚 谭 廖 邹 熊 金 陆 郝 孔 白 崔 康 毛 邱 秦 江 史 顾 侯 邵 孟 龙 万 段 雷 钱 汤 尹 黎 易 常 武 乔 贺 赖 龚 文'),
('gm1', '志 建 国 海 明 文 晓 俊 宏 立 永 春 德 家 子 浩 宇 振 新 学 伟 嘉 天 博 鹏 庆 长 洪 金 世'),
('gm2', '强 军 伟 刚 杰 勇 涛 斌 平 辉 明 华 东 峰 磊 超 鹏 宇 龙 凯 鑫 成 林 飞 波 亮 锋 阳 健 川'),
('gf1', '秀 丽 晓 雪 春 玉 海 美 静 淑 婷 文 佳 雅 欣 慧 晶 红 桂 思 瑞 梦 丹 立 金'),
('gf2', '英 华 芳 丽 敏 静 燕 娟 霞 萍 玲 红 梅 兰 婷 洁 琳 颖 倩 蕾 艳 娜 薇 琪 云'),
-- company names: 天津 + va + vb
('va', '恒达 华信 宏远 津诚 海河 瑞丰 鑫源 泰和 中正 广宇 金石 同创 卓越 博润 德瑞 永盛 天鸿 安捷 凯胜 盛世'),
('vb', '建筑工程有限公司 信息技术有限公司 环境科技有限公司 物业服务有限公司 市政工程有限公司 商贸有限公司 智能科技有限公司 园林绿化工程有限公司 医疗器械有限公司 新能源科技有限公司'),
-- projects by domain (exactly 10 each)
('p_procurement', '智慧城管综合平台建设项目 中小学教学设备采购项目 政务云服务项目 办公家具采购项目 社区卫生服务中心医疗设备采购项目 道路照明设施维护项目 公务用车定点维修项目 城市绿化养护服务项目 档案数字化加工服务项目 视频监控系统升级改造项目'),
('p_ppp', '污水处理厂提标改造 垃圾焚烧发电 海绵城市建设 地下综合管廊 体育中心建设运营 养老服务综合体 城市公共停车场 生态湿地修复 供热管网改造 智慧交通'),
('p_bidding', '道路提升改造工程 中学新建教学楼工程 河道综合治理工程 雨污分流改造工程 社区服务中心新建工程 公园景观提升工程 老旧管网更新工程 医院门诊楼扩建工程 农村公路提升工程 保障性住房配套工程'),
('p_investment', '新能源汽车零部件产业园项目 生物医药研发基地项目 高端装备制造基地项目 跨境电商产业园项目 数据中心项目 冷链物流园项目 新材料产业园项目 文旅综合体项目 人工智能创新中心项目 氢能产业示范项目'),
('p_debt', '城市基础设施配套项目 产业园区基础设施项目 棚户区改造项目 交通枢纽建设项目 水环境治理项目 高标准农田建设项目 老旧小区改造项目 城乡供水一体化项目 冷链物流基础设施项目 职业教育实训基地项目'),
('p_grassroots', '老旧小区提升改造 社区老年日间照料中心建设 背街小巷环境整治 社区公共停车泊位建设 社区卫生服务站改造 便民市场升级改造 社区文化活动中心建设 雨污管网改造 健身步道建设 智慧社区平台建设'),
('p_other', '旧城改造征收补偿项目 市政道路建设项目 政府办公楼维修项目 公共文化设施建设项目 农村人居环境整治项目 应急物资储备项目 河道清淤项目 校园安全改造项目 公共厕所改造项目 环卫设施建设项目'),
-- municipal bodies (天津市 + name) and district bodies (区名 + name)
('city_dept', '发展和改革委员会 教育委员会 科学技术局 工业和信息化局 民族和宗教事务委员会 公安局 民政局 司法局 财政局 人力资源和社会保障局 规划和自然资源局 生态环境局 住房和城乡建设委员会 城市管理委员会 交通运输委员会 水务局 农业农村委员会 商务局 文化和旅游局 卫生健康委员会 退役军人事务局 应急管理局 审计局 人民政府国有资产监督管理委员会 市场监督管理委员会 体育局 统计局 医疗保障局 政务服务办公室 合作交流办公室 粮食和物资储备局 机关事务管理局 人民政府信访办公室 人民政府外事办公室 药品监督管理局 地方金融管理局'),
('dist_dept', '人民政府办公室 发展和改革委员会 教育局 科学技术局 工业和信息化局 民政局 司法局 财政局 人力资源和社会保障局 住房和建设委员会 城市管理委员会 交通运输局 水务局 商务局 文化和旅游局 卫生健康委员会 退役军人事务局 应急管理局 审计局 人民政府国有资产监督管理委员会 市场监督管理局 统计局 医疗保障局 政务服务办公室 体育局 信访办公室 合作交流办公室 农业农村委员会'),
-- positions by employer type; {DEP} = 副局长/副主任, {T} = 镇/乡
('pos_ctyg', '办公厅处长 办公厅副处长 办公厅一级调研员 办公厅二级主任科员'),
('pos_ctyd', '{DEP} 处长 副处长 一级调研员 二级调研员 一级主任科员 三级主任科员'),
('pos_disg', '办公室主任 办公室副主任 督查室主任 一级主任科员'),
('pos_disd', '{DEP} 科长 副科长 一级主任科员 四级主任科员 一级科员 四级调研员'),
('pos_street', '主任 副主任 党工委副书记 综合办公室主任 一级主任科员 一级科员'),
('pos_town', '{T}长 副{T}长 党委副书记 党政办公室主任 一级主任科员 一级科员'),
('pos_zfdd', '大队长 副大队长 中队长 一级科员'),
('pos_scjg', '所长 副所长 一级主任科员 一级科员'),
('pos_sfs', '所长 副所长 一级科员'),
('pos_pcs', '所长 副所长 教导员 社区民警'),
-- 街道 and 乡镇 by district (real names)
('t_heping', '劝业场街道 小白楼街道 五大道街道 新兴街道 南营门街道 南市街道'),
('t_hedong', '大王庄街道 大直沽街道 中山门街道 富民路街道 二号桥街道 春华街道 唐家口街道 向阳楼街道 常州道街道 上杭路街道 东新街道 鲁山道街道 天铁街道'),
('t_hexi', '大营门街道 下瓦房街道 桃园街道 挂甲寺街道 马场街道 越秀路街道 友谊路街道 天塔街道 尖山街道 陈塘庄街道 柳林街道 东海街道 梅江街道 太湖路街道'),
('t_nankai', '长虹街道 鼓楼街道 兴南街道 广开街道 万兴街道 学府街道 向阳路街道 嘉陵道街道 王顶堤街道 水上公园街道 体育中心街道 华苑街道'),
('t_hebei', '光复道街道 望海楼街道 鸿顺里街道 新开河街道 铁东路街道 建昌道街道 宁园街道 王串场街道 江都路街道 月牙河街道'),
('t_hongqiao', '西于庄街道 咸阳北路街道 丁字沽街道 西沽街道 三条石街道 邵公庄街道 芥园街道 铃铛阁街道 和苑街道 大胡同街道'),
('t_dongli', '张贵庄街道 丰年村街道 万新街道 无瑕街道 新立街道 华明街道 金钟街道 军粮城街道 金桥街道 东丽湖街道 华新街道'),
('t_xiqing', '西营门街道 李七庄街道 赤龙南街道 精武镇 杨柳青镇 辛口镇 张家窝镇 中北镇 王稳庄镇 大寺镇'),
('t_jinnan', '双新街道 双林街道 海棠街道 咸水沽镇 葛沽镇 小站镇 双港镇 辛庄镇 八里台镇 北闸口镇'),
('t_beichen', '果园新村街道 集贤里街道 普东街道 瑞景街道 佳荣里街道 青源街道 广源街道 天穆镇 北仓镇 双街镇 双口镇 青光镇 宜兴埠镇 小淀镇 大张庄镇 西堤头镇'),
('t_wuqing', '杨村街道 下朱庄街道 东蒲洼街道 黄庄街道 徐官屯街道 运河西街道 梅厂镇 大碱厂镇 崔黄口镇 大良镇 下伍旗镇 南蔡村镇 大孟庄镇 泗村店镇 河西务镇 城关镇 东马圈镇 黄花店镇 石各庄镇 王庆坨镇 汊沽港镇 河北屯镇 上马台镇 大王古庄镇 陈咀镇 豆张庄镇 曹子里镇 大黄堡镇 高村镇 白古屯镇'),
('t_baodi', '海滨街道 宝平街道 钰华街道 周良街道 潮阳街道 朝霞街道 口东街道 大口屯镇 王卜庄镇 方家庄镇 林亭口镇 八门城镇 大钟庄镇 新安镇 霍各庄镇 新开口镇 大唐庄镇 牛道口镇 史各庄镇 郝各庄镇 牛家牌镇 尔王庄镇 黄庄镇'),
('t_binhai', '塘沽街道 杭州道街道 新河街道 大沽街道 新北街道 北塘街道 胡家园街道 新港街道 新村街道 泰达街道 汉沽街道 寨上街道 茶淀街道 大港街道 古林街道 海滨街道 渤海石油街道 新城镇 杨家泊镇 太平镇 小王庄镇 中塘镇'),
('t_ninghe', '芦台街道 桥北街道 宁河镇 苗庄镇 丰台镇 岳龙镇 板桥镇 潘庄镇 造甲城镇 七里海镇 大北涧沽镇 东棘坨镇 北淮淀镇 俵口镇 廉庄镇'),
('t_jinghai', '华康街道 朝阳街道 静海镇 唐官屯镇 独流镇 王口镇 台头镇 子牙镇 陈官屯镇 中旺镇 大邱庄镇 蔡公庄镇 梁头镇 团泊镇 双塘镇 大丰堆镇 沿庄镇 西翟庄镇 良王庄乡 杨成庄乡'),
('t_jizhou', '文昌街道 渔阳镇 洇溜镇 官庄镇 马伸桥镇 下营镇 邦均镇 别山镇 尤古庄镇 上仓镇 下仓镇 罗庄子镇 白涧镇 侯家营镇 桑梓镇 东施古镇 下窝头镇 杨津庄镇 出头岭镇 西龙虎峪镇 穿芳峪镇 东二营镇 许家台镇 礼明庄镇 东赵各庄镇 州河湾镇 孙各庄满族乡');

CREATE TABLE demo_words (
    list VARCHAR(16) NOT NULL,
    k    INT NOT NULL,
    w    VARCHAR(100) NOT NULL,
    n    INT NOT NULL COMMENT 'size of the list',
    PRIMARY KEY (list, k)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_words (list, k, w, n)
SELECT l.list, s.seq - 1,
       SUBSTRING_INDEX(SUBSTRING_INDEX(l.items, ' ', s.seq), ' ', -1),
       1 + CHAR_LENGTH(l.items) - CHAR_LENGTH(REPLACE(l.items, ' ', ''))
  FROM demo_list AS l
  JOIN seq_1_to_200 AS s ON s.seq <= 1 + CHAR_LENGTH(l.items) - CHAR_LENGTH(REPLACE(l.items, ' ', ''));

-- Districts: abbreviation in document numbers, short name, court code.
CREATE TABLE demo_district (
    code     VARCHAR(16) NOT NULL PRIMARY KEY,
    ord      TINYINT NOT NULL,
    abbr     VARCHAR(8) NOT NULL COMMENT '文号 prefix',
    short    VARCHAR(8) NOT NULL COMMENT 'for 公安分局',
    division CHAR(6) NOT NULL,
    name_zh  VARCHAR(16) NOT NULL,
    rural    BOOLEAN NOT NULL,
    UNIQUE KEY (ord)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_district (code, ord, abbr, short, division, name_zh, rural)
SELECT d.code, d.sort_order, x.abbr, x.short, d.division, d.name_zh, x.rural
  FROM districts AS d
  JOIN (SELECT 'city' AS code, '津' AS abbr, '' AS short, 0 AS rural
        UNION ALL SELECT 'heping',   '和',   '和平', 0
        UNION ALL SELECT 'hedong',   '东',   '河东', 0
        UNION ALL SELECT 'hexi',     '西',   '河西', 0
        UNION ALL SELECT 'nankai',   '南',   '南开', 0
        UNION ALL SELECT 'hebei',    '北',   '河北', 0
        UNION ALL SELECT 'hongqiao', '红',   '红桥', 0
        UNION ALL SELECT 'dongli',   '东丽', '东丽', 1
        UNION ALL SELECT 'xiqing',   '西青', '西青', 1
        UNION ALL SELECT 'jinnan',   '津南', '津南', 1
        UNION ALL SELECT 'beichen',  '北辰', '北辰', 1
        UNION ALL SELECT 'wuqing',   '武清', '武清', 1
        UNION ALL SELECT 'baodi',    '宝坻', '宝坻', 1
        UNION ALL SELECT 'binhai',   '津滨', '滨海', 1
        UNION ALL SELECT 'ninghe',   '宁河', '宁河', 1
        UNION ALL SELECT 'jinghai',  '静海', '静海', 1
        UNION ALL SELECT 'jizhou',   '蓟州', '蓟州', 1) AS x ON x.code = d.code;

CREATE TABLE demo_town (
    district VARCHAR(16) NOT NULL,
    k        INT NOT NULL,
    name     VARCHAR(20) NOT NULL COMMENT '南市街道',
    short    VARCHAR(20) NOT NULL COMMENT '南市',
    is_street BOOLEAN NOT NULL,
    PRIMARY KEY (district, k)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_town (district, k, name, short, is_street)
SELECT SUBSTRING(w.list, 3), w.k, w.w,
       CASE WHEN w.w LIKE '%街道' THEN LEFT(w.w, CHAR_LENGTH(w.w) - 2)
            WHEN w.w LIKE '%满族乡' THEN LEFT(w.w, CHAR_LENGTH(w.w) - 3)
            ELSE LEFT(w.w, CHAR_LENGTH(w.w) - 1) END,
       w.w LIKE '%街道'
  FROM demo_words AS w
 WHERE w.list LIKE 't\_%';

-- ---------------------------------------------------------------------------
-- Departments (source departments of records): 9 per district, 12 municipal
-- ---------------------------------------------------------------------------
CREATE TABLE demo_dept (
    id        INT UNSIGNED NULL,
    code      VARCHAR(32) NOT NULL PRIMARY KEY,
    name      VARCHAR(100) NOT NULL,
    district  VARCHAR(16) NOT NULL,
    dkind     VARCHAR(8) NOT NULL,
    v         TINYINT NOT NULL,
    abbr      VARCHAR(16) NOT NULL COMMENT '文号 prefix, e.g. 津财',
    court     VARCHAR(8) NULL COMMENT 'court code in case numbers, e.g. 0101',
    UNIQUE KEY (district, dkind, v),
    UNIQUE KEY (id)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_dept (code, name, district, dkind, v, abbr, court)
SELECT CONCAT(d.code, '-', k.dkind, IF(k.v > 0, k.v, '')),
       CASE WHEN k.dkind = 'court' AND d.code = 'city'
                THEN CONCAT('天津市', ELT(k.v + 1, '高级', '第一中级', '第二中级', '第三中级'), '人民法院')
            WHEN k.dkind = 'court' THEN CONCAT('天津市', d.name_zh, '人民法院')
            WHEN d.code = 'city' THEN CONCAT('天津市', k.city_name)
            ELSE CONCAT(d.name_zh, k.name) END,
       d.code, k.dkind, k.v,
       IF(k.dkind = 'court' AND d.code = 'city', ELT(k.v + 1, '津高法', '津一中法', '津二中法', '津三中法'),
          CONCAT(d.abbr, k.abbr)),
       CASE WHEN k.dkind <> 'court' THEN NULL
            WHEN d.code = 'city' THEN ELT(k.v + 1, '', '01', '02', '03')
            ELSE RIGHT(d.division, 4) END
  FROM demo_district AS d
  JOIN (SELECT 'fin' AS dkind, 0 AS v, '财政局' AS name, '财政局' AS city_name, '财' AS abbr
        UNION ALL SELECT 'drc',   0, '发展和改革委员会', '发展和改革委员会', '发改'
        UNION ALL SELECT 'hc',    0, '住房和建设委员会', '住房和城乡建设委员会', '建'
        UNION ALL SELECT 'aud',   0, '审计局', '审计局', '审'
        UNION ALL SELECT 'com',   0, '商务局', '商务局', '商务'
        UNION ALL SELECT 'mkt',   0, '市场监督管理局', '市场监督管理委员会', '市监'
        UNION ALL SELECT 'gsb',   0, '政务服务办公室', '政务服务办公室', '政务'
        UNION ALL SELECT 'disc',  0, '纪委监委', '纪委监委', '纪'
        UNION ALL SELECT 'court', 0, '人民法院', '人民法院', '法'
        UNION ALL SELECT 'court', 1, '', '', '法'
        UNION ALL SELECT 'court', 2, '', '', '法'
        UNION ALL SELECT 'court', 3, '', '', '法') AS k
    ON k.v = 0 OR d.code = 'city'
 ORDER BY d.ord, k.dkind, k.v;

INSERT IGNORE INTO departments (code, name, district)
SELECT code, name, district FROM demo_dept ORDER BY district = 'city' DESC, code;

UPDATE demo_dept AS x JOIN departments AS d ON d.code = x.code SET x.id = d.id;

-- ---------------------------------------------------------------------------
-- Government subjects: municipal, district, and per 街道/乡镇 the office or
-- township government plus its 综合执法大队, 市场监管所, 司法所, 派出所.
-- ---------------------------------------------------------------------------
CREATE TABLE demo_gov (
    ord      INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    id       BIGINT UNSIGNED NULL COMMENT 'subjects.id',
    code     CHAR(18) NULL COMMENT 'unified social credit code',
    district VARCHAR(16) NOT NULL,
    level    ENUM('city','district','township') NOT NULL,
    gtype    VARCHAR(8) NOT NULL,
    role     VARCHAR(8) NULL COMMENT 'what records it plausibly has, see demo_role',
    name     VARCHAR(100) NOT NULL
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_gov (district, level, gtype, name)
SELECT district, level, gtype, name FROM (
    SELECT 'city' AS district, 'city' AS level, 'ctyg' AS gtype, '天津市人民政府' AS name, 0 AS o1, 0 AS o2, 0 AS o3
    UNION ALL
    SELECT 'city', 'city', 'ctyd', CONCAT('天津市', w.w), 0, 1, w.k
      FROM demo_words AS w WHERE w.list = 'city_dept'
    UNION ALL
    SELECT d.code, 'district', 'disg', CONCAT('天津市', d.name_zh, '人民政府'), d.ord, 0, 0
      FROM demo_district AS d WHERE d.code <> 'city'
    UNION ALL
    SELECT d.code, 'district', 'disd', CONCAT(d.name_zh, w.w), d.ord, 1, w.k
      FROM demo_district AS d JOIN demo_words AS w ON w.list = 'dist_dept'
     WHERE d.code <> 'city' AND (d.rural OR w.w <> '农业农村委员会')
    UNION ALL
    SELECT d.code, 'township', IF(u.gtype = 'main', IF(t.is_street, 'street', 'town'), u.gtype),
           CASE u.gtype
               WHEN 'main' THEN CONCAT(d.name_zh, t.name, IF(t.is_street, '办事处', '人民政府'))
               WHEN 'zfdd' THEN CONCAT(d.name_zh, t.name, '综合执法大队')
               WHEN 'scjg' THEN CONCAT(d.name_zh, '市场监督管理局', t.short, '市场监督管理所')
               WHEN 'sfs'  THEN CONCAT(d.name_zh, '司法局', t.short, '司法所')
               ELSE CONCAT('天津市公安局', d.short, '分局', t.short, '派出所') END,
           d.ord, 2 + u.o, t.k
      FROM demo_district AS d
      JOIN demo_town AS t ON t.district = d.code
      JOIN (SELECT 'main' AS gtype, 0 AS o UNION ALL SELECT 'zfdd', 1 UNION ALL SELECT 'scjg', 2
            UNION ALL SELECT 'sfs', 3 UNION ALL SELECT 'pcs', 4) AS u
) AS g
ORDER BY o1, o2, o3;

SET @ngov = (SELECT COUNT(*) FROM demo_gov);

UPDATE demo_gov SET role = CASE
    WHEN gtype IN ('ctyg', 'disg') THEN 'gov'
    WHEN gtype IN ('street', 'town', 'zfdd') THEN gtype
    WHEN gtype IN ('scjg', 'sfs', 'pcs') THEN 'dept'
    WHEN name LIKE '%财政局' THEN 'fin'
    WHEN name LIKE '%发展和改革委员会' THEN 'dev'
    WHEN name LIKE '%住房和%建设委员会' OR name LIKE '%城市管理委员会' OR name LIKE '%水务局'
      OR name LIKE '%交通运输%' THEN 'build'
    WHEN name LIKE '%商务局' OR name LIKE '%合作交流办公室' OR name LIKE '%工业和信息化局'
      OR name LIKE '%科学技术局' THEN 'com'
    WHEN name LIKE '%教育%' OR name LIKE '%卫生健康委员会' OR name LIKE '%民政局' OR name LIKE '%文化和旅游局'
      OR name LIKE '%体育局' OR name LIKE '%退役军人事务局' OR name LIKE '%医疗保障局'
      OR name LIKE '%农业农村委员会' THEN 'social'
    ELSE 'dept' END;

-- 统一社会信用代码: 11 (机关) + division + organisation code (8 digits + GB
-- 11714 check) + GB 32100 check. ord * 7919 mod 10^8 is a bijection, so the
-- codes are unique.
UPDATE demo_gov AS g
  JOIN demo_district AS d ON d.code = g.district
   SET g.code = CONCAT('11', d.division, LPAD((g.ord * 7919 + 10245613) MOD 100000000, 8, '0'),
                       demo_org_check(LPAD((g.ord * 7919 + 10245613) MOD 100000000, 8, '0')));
UPDATE demo_gov SET code = CONCAT(code, credit_code_check(code));

INSERT IGNORE INTO subjects (kind, name, credit_code, district, level)
SELECT 'gov', g.name, g.code, g.district, g.level FROM demo_gov AS g ORDER BY g.ord;

UPDATE demo_gov AS g JOIN subjects AS s ON s.credit_code = g.code SET g.id = s.id;

-- ---------------------------------------------------------------------------
-- Officials (公务员): 3,000 fictitious civil servants
-- ---------------------------------------------------------------------------
CREATE TABLE demo_off (
    k        INT NOT NULL PRIMARY KEY,
    id       BIGINT UNSIGNED NULL COMMENT 'subjects.id',
    emp      INT NOT NULL COMMENT 'demo_gov.ord',
    name     VARCHAR(20) NOT NULL,
    position VARCHAR(50) NOT NULL,
    idno     CHAR(18) NOT NULL
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_off (k, emp, name, position, idno)
SELECT x.k, x.emp,
       CONCAT(sn.w, IF(x.single, '', g1.w), g2.w),
       REPLACE(REPLACE(pos.w, '{DEP}', IF(g.name LIKE '%局', '副局长', '副主任')),
               '{T}', IF(g.name LIKE '%乡人民政府', '乡', '镇')),
       CONCAT(x.body, demo_id_check(x.body))
  FROM (SELECT s.seq AS k,
               1 + demo_hash('emp', s.seq) MOD @ngov AS emp,
               FLOOR(POW(demo_hash('sn', s.seq) / 4294967296, 1.7) * 100) AS sn,
               demo_hash('g1', s.seq) AS g1,
               demo_hash('g2', s.seq) AS g2,
               demo_hash('one', s.seq) MOD 5 = 0 AS single,
               s.seq MOD 2 = 1 AS male,
               demo_hash('pos', s.seq) AS pos,
               CONCAT(dd.division,
                      DATE_FORMAT(DATE '1962-01-01' + INTERVAL (s.seq * 7919) MOD 12000 DAY, '%Y%m%d'),
                      LPAD(s.seq MOD 1000, 3, '0')) AS body
          FROM seq_1_to_3000 AS s
          JOIN demo_district AS dd ON dd.ord = 1 + demo_hash('div', s.seq) MOD 16) AS x
  JOIN demo_gov AS g ON g.ord = x.emp
  JOIN demo_words AS sn ON sn.list = 'surname' AND sn.k = LEAST(x.sn, sn.n - 1)
  JOIN demo_words AS g1 ON g1.list = IF(x.male, 'gm1', 'gf1') AND g1.k = x.g1 MOD g1.n
  JOIN demo_words AS g2 ON g2.list = IF(x.male, 'gm2', 'gf2') AND g2.k = x.g2 MOD g2.n
  JOIN demo_words AS pos ON pos.list = CONCAT('pos_', g.gtype) AND pos.k = x.pos MOD pos.n;

INSERT IGNORE INTO subjects (kind, name, credit_code, district, level, employer_id, position, id_hash, id_masked)
SELECT 'official', o.name, NULL, g.district, g.level, g.id, o.position,
       UNHEX(SHA2(CONCAT('demo-idcard:', o.idno), 256)),
       CONCAT(LEFT(o.idno, 6), '********', RIGHT(o.idno, 4))
  FROM demo_off AS o JOIN demo_gov AS g ON g.ord = o.emp
 ORDER BY o.k;

UPDATE demo_off AS o JOIN subjects AS s ON s.id_hash = UNHEX(SHA2(CONCAT('demo-idcard:', o.idno), 256))
   SET o.id = s.id;

-- All demo subjects, with what the record texts need.
CREATE TABLE demo_subj (
    id       BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    kind     ENUM('gov','official') NOT NULL,
    gtype    VARCHAR(8) NOT NULL COMMENT 'of the subject or of the employer',
    role     VARCHAR(8) NOT NULL COMMENT 'of the subject or of the employer',
    district VARCHAR(16) NOT NULL,
    level    ENUM('city','district','township') NOT NULL,
    name     VARCHAR(100) NOT NULL,
    emp_name VARCHAR(100) NULL,
    position VARCHAR(50) NULL
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_subj
SELECT g.id, 'gov', g.gtype, g.role, g.district, g.level, g.name, NULL, NULL FROM demo_gov AS g
UNION ALL
SELECT o.id, 'official', g.gtype, g.role, g.district, g.level, o.name, g.name, o.position
  FROM demo_off AS o JOIN demo_gov AS g ON g.ord = o.emp;

-- Which bodies plausibly have records in which domain (officials: by their
-- employer). procurement and other: every body.
CREATE TABLE demo_role (
    domain ENUM('procurement','ppp','bidding','investment','debt','grassroots','other') NOT NULL,
    role   VARCHAR(8) NOT NULL,
    PRIMARY KEY (domain, role)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_role (domain, role)
SELECT d.domain, r.role
  FROM (SELECT 'procurement' AS domain, 'gov fin dev build com social dept street town zfdd' AS roles
        UNION ALL SELECT 'ppp',        'gov fin dev build'
        UNION ALL SELECT 'bidding',    'gov build social street town'
        UNION ALL SELECT 'investment', 'gov com dev street town'
        UNION ALL SELECT 'debt',       'gov fin town'
        UNION ALL SELECT 'grassroots', 'street town zfdd'
        UNION ALL SELECT 'other',      'gov fin dev build com social dept street town zfdd') AS d
  JOIN (SELECT DISTINCT role FROM demo_gov) AS r ON FIND_IN_SET(r.role, REPLACE(d.roles, ' ', ','));

-- Pools to draw record subjects from: pool = domain (1..7) for government
-- bodies, 10 + domain for officials; each ranked in a pseudo-random order
-- (low ranks are drawn more often, so some subjects have many records).
CREATE TABLE demo_pick (
    pool     TINYINT NOT NULL,
    rn       INT NOT NULL,
    id       BIGINT UNSIGNED NOT NULL,
    district VARCHAR(16) NOT NULL,
    PRIMARY KEY (pool, rn)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_pick (pool, rn, id, district)
SELECT x.pool, ROW_NUMBER() OVER (PARTITION BY x.pool ORDER BY CRC32(CONCAT(x.pool, '/', x.id)), x.id),
       x.id, x.district
  FROM (SELECT IF(s.kind = 'gov', 0, 10) + (r.domain + 0) AS pool, s.id, s.district
          FROM demo_subj AS s JOIN demo_role AS r ON r.role = s.role) AS x;

CREATE TABLE demo_pool (
    pool TINYINT NOT NULL PRIMARY KEY,
    n    INT NOT NULL
) ENGINE=MyISAM;
INSERT INTO demo_pool SELECT pool, COUNT(*) FROM demo_pick GROUP BY pool;

-- ---------------------------------------------------------------------------
-- Record texts
-- ---------------------------------------------------------------------------
-- Per domain: share of records with an amount (percent) and its range (yuan).
CREATE TABLE demo_domain (
    domain ENUM('procurement','ppp','bidding','investment','debt','grassroots','other') NOT NULL PRIMARY KEY,
    p_amt  TINYINT NOT NULL,
    lo     DOUBLE NOT NULL,
    hi     DOUBLE NOT NULL
) ENGINE=MyISAM;
INSERT INTO demo_domain VALUES
 ('procurement', 80,    50000,   20000000),
 ('ppp',         80,  1000000,  500000000),
 ('bidding',     25,   100000,   30000000),
 ('investment',  60,   500000,  100000000),
 ('debt',        70,  5000000, 1000000000),
 ('grassroots',  30,    10000,    1000000),
 ('other',       40,    50000,    5000000);

-- Conduct by domain (k 0..4; k 0 and 1 are contractual, used for judgments).
-- Tokens: {S} subject (officials: 时任<employer><position>的<name>), {P}
-- project, {V} company, {A} amount, {D1} {D2} dates, {N} a count, {Y} a year.
CREATE TABLE demo_conduct (
    domain  ENUM('procurement','ppp','bidding','investment','debt','grassroots','other') NOT NULL,
    k       TINYINT NOT NULL,
    title   VARCHAR(100) NOT NULL,
    facts_a VARCHAR(500) NOT NULL COMMENT 'with {A}',
    facts_n VARCHAR(500) NOT NULL COMMENT 'without amount',
    basis   VARCHAR(300) NOT NULL,
    rect    VARCHAR(200) NOT NULL,
    PRIMARY KEY (domain, k)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_conduct (domain, k, title, facts_a, facts_n, basis, rect) VALUES
('procurement', 0, '未按合同约定支付政府采购款项',
 '{S}于{D1}与{V}签订《{P}采购合同》。项目验收合格后，{S}未在合同约定的付款期限内支付款项，截至{D2}仍拖欠合同价款{A}。',
 '{S}于{D1}与{V}签订《{P}采购合同》。项目交付验收后，{S}以资金未到位为由未按合同约定期限付款，经供应商多次书面催告仍未履行。',
 '《保障中小企业款项支付条例》第八条；《中华人民共和国民法典》第五百零九条', '已制定还款计划，分期支付拖欠款项'),
('procurement', 1, '拖欠中小企业账款',
 '{S}在{P}中拖欠中小企业{V}账款{A}，逾期已超过{N}日，经催告仍未支付。',
 '{S}在{P}中以内部审批流程未完成为由，长期拖欠中小企业{V}账款，逾期已超过{N}日。',
 '《保障中小企业款项支付条例》第八条', '已全额支付拖欠款项及逾期利息'),
('procurement', 2, '中标通知书发出后未依法签订政府采购合同',
 '{S}作为{P}的采购人，于{D1}向{V}发出中标通知书，中标金额{A}，此后无正当理由未在三十日内签订政府采购合同。',
 '{S}作为{P}的采购人，于{D1}向{V}发出中标通知书后，无正当理由未在三十日内签订政府采购合同。',
 '《中华人民共和国政府采购法》第四十六条', '已与中标供应商签订政府采购合同'),
('procurement', 3, '以不合理条件对供应商实行差别待遇',
 '{S}在{P}（预算金额{A}）采购文件中设置与项目实际需要不相适应的资格条件，限制本地以外供应商参与竞争。',
 '{S}在{P}采购文件中将特定地区业绩作为加分条件，对供应商实行差别待遇。',
 '《中华人民共和国政府采购法》第二十二条、第七十一条', '已修订采购文件并重新组织采购'),
('procurement', 4, '无正当理由扣留供应商履约保证金',
 '{S}在{P}合同履行完毕后，无正当理由扣留{V}履约保证金{A}，截至{D2}仍未退还。',
 '{S}在{P}合同履行完毕后，长期未退还{V}缴纳的履约保证金。',
 '《中华人民共和国政府采购法实施条例》第四十八条；《中华人民共和国民法典》第五百零九条', '已退还履约保证金并支付资金占用利息'),
('ppp', 0, 'PPP项目未按约定履行付款义务',
 '{S}与{V}于{D1}签订《{P}PPP项目合同》，约定按绩效考核结果支付可用性服务费。{S}自{D2}起未按期支付，累计欠付{A}。',
 '{S}与{V}于{D1}签订《{P}PPP项目合同》。{S}未按合同约定将可行性缺口补助纳入年度预算，付款义务长期未履行。',
 '《中华人民共和国民法典》第五百七十七条；《政府和社会资本合作项目财政管理暂行办法》', '已将欠付服务费纳入预算并按计划支付'),
('ppp', 1, 'PPP项目可行性缺口补助未及时拨付',
 '{S}未按{P}PPP项目合同约定拨付{Y}年度可行性缺口补助{A}，影响项目正常运营。',
 '{S}未按{P}PPP项目合同约定拨付{Y}年度可行性缺口补助，社会资本方{V}多次书面催告。',
 '《中华人民共和国预算法》第十三条；《政府和社会资本合作项目财政管理暂行办法》', '已补拨可行性缺口补助'),
('ppp', 2, '单方变更PPP项目合同约定',
 '{S}在{P}PPP项目运营期内未经协商单方面调整付费标准，造成社会资本方{V}损失约{A}。',
 '{S}在{P}PPP项目运营期内未经协商单方面调整绩效考核办法，损害社会资本方{V}合法权益。',
 '《中华人民共和国民法典》第五百四十三条、第五百七十七条', '已恢复原合同约定并与社会资本方签订补充协议'),
('ppp', 3, '未按约定移交PPP项目建设用地',
 '{S}未按{P}PPP项目合同约定于{D1}前完成项目建设用地移交，导致项目停工，社会资本方{V}主张损失{A}。',
 '{S}未按{P}PPP项目合同约定于{D1}前完成项目建设用地移交，导致项目停工{N}日。',
 '《中华人民共和国民法典》第五百零九条；《关于规范实施政府和社会资本合作新机制的指导意见》（国办函〔2023〕115号）', '已完成建设用地移交'),
('ppp', 4, '以机构调整为由拒绝履行PPP项目合同',
 '因机构调整和人员变动，{S}以原承诺未经集体研究为由，拒绝履行{P}PPP项目合同项下{A}的付款义务。',
 '因机构调整和人员变动，{S}以原承诺未经集体研究为由，拒绝履行{P}PPP项目合同约定的义务。',
 '《优化营商环境条例》第三十一条', '已重新确认合同效力并履行付款义务'),
('bidding', 0, '中标通知书发出后无故拒签合同',
 '{S}于{D1}向{V}发出{P}中标通知书，中标价{A}，此后无正当理由拒绝签订书面合同。',
 '{S}于{D1}向{V}发出{P}中标通知书后，无正当理由拒绝签订书面合同。',
 '《中华人民共和国招标投标法》第四十六条', '已与中标人签订书面合同'),
('bidding', 1, '拖欠中标项目工程款',
 '{S}在{P}竣工验收后，未按合同约定向中标人{V}支付工程款，截至{D2}拖欠{A}。',
 '{S}在{P}竣工验收后，以审计结算未完成为由，长期拖欠中标人{V}工程款。',
 '《保障中小企业款项支付条例》第八条；《中华人民共和国民法典》第五百七十七条', '已按结算结果支付工程款'),
('bidding', 2, '规避招标将项目化整为零',
 '{S}将总投资{A}的{P}拆分为{N}个合同，规避公开招标。',
 '{S}将依法必须招标的{P}化整为零，以询价方式直接确定承包单位。',
 '《中华人民共和国招标投标法》第四条、第四十九条', '已对相关项目依法重新招标'),
('bidding', 3, '招标文件设置排斥潜在投标人的条款',
 '{S}在{P}（招标控制价{A}）招标文件中指定特定品牌，并设置与项目无关的业绩要求，排斥潜在投标人。',
 '{S}在{P}招标文件中指定特定品牌，并设置与项目无关的业绩要求，排斥潜在投标人。',
 '《中华人民共和国招标投标法》第二十条；《中华人民共和国招标投标法实施条例》第三十二条', '已修改招标文件并重新发布招标公告'),
('bidding', 4, '违规干预评标活动',
 '{S}在{P}（预算{A}）评标过程中向评标委员会成员暗示倾向性意见，干预评标结果。',
 '{S}在{P}评标过程中向评标委员会成员暗示倾向性意见，干预评标结果。',
 '《中华人民共和国招标投标法实施条例》第四十八条', '已依法重新组织评标'),
('investment', 0, '招商引资承诺未兑现',
 '{S}于{D1}与{V}签订《{P}投资合作协议》，承诺给予产业扶持资金{A}。项目按约投产后，{S}未兑现承诺。',
 '{S}于{D1}与{V}签订《{P}投资合作协议》，承诺协调解决项目配套用地和基础设施。项目落地后，相关承诺长期未兑现。',
 '《优化营商环境条例》第三十一条', '已兑现产业扶持资金'),
('investment', 1, '招商引资奖励资金逾期未拨付',
 '{S}对{V}{P}的招商引资奖励资金{A}经审核认定后逾期未拨付，截至{D2}已逾期{N}日。',
 '{S}对{V}{P}的招商引资奖励资金经审核认定后逾期未拨付，截至{D2}已逾期{N}日。',
 '《优化营商环境条例》第三十一条；《国务院关于加强政务诚信建设的指导意见》（国发〔2016〕76号）', '已拨付奖励资金'),
('investment', 2, '擅自改变招商引资项目用地条件',
 '{S}在{P}土地出让后擅自调整规划条件，造成投资企业{V}损失约{A}。',
 '{S}在{P}土地出让后擅自调整规划条件，导致项目无法按期开工。',
 '《优化营商环境条例》第三十一条；《中华人民共和国民法典》第五百七十七条', '已恢复原规划条件并与企业协商赔偿'),
('investment', 3, '以领导班子调整为由违约毁约',
 '{S}以领导班子调整为由，拒绝履行与{V}签订的{P}合作协议，涉及金额{A}。',
 '{S}以领导班子调整为由，拒绝履行与{V}签订的{P}合作协议。',
 '《优化营商环境条例》第三十一条', '已召开专题会议确认继续履约'),
('investment', 4, '未落实招商引资优惠政策',
 '{S}在{P}中承诺的厂房租金减免政策未落实，{V}多缴租金{A}。',
 '{S}在{P}中承诺的人才公寓配套政策未落实，经企业多次反映仍未解决。',
 '《优化营商环境条例》第三十一条', '已退还多收租金并落实优惠政策'),
('debt', 0, '拖欠工程款形成新增隐性债务',
 '{S}在{P}中超出财政承受能力安排建设，拖欠施工单位{V}工程款{A}。',
 '{S}在{P}中超出财政承受能力安排建设，长期拖欠施工单位{V}工程款。',
 '《中华人民共和国预算法》第三十五条；《保障中小企业款项支付条例》第八条', '已分期偿还拖欠工程款'),
('debt', 1, '违规为企业融资提供担保',
 '{S}于{D1}向{V}出具承诺函，为其{A}融资提供变相担保。',
 '{S}于{D1}向{V}出具承诺函，为其融资提供变相担保。',
 '《中华人民共和国预算法》第三十五条；《国务院关于加强地方政府性债务管理的意见》（国发〔2014〕43号）', '已撤回承诺函并解除担保责任'),
('debt', 2, '违规举借地方政府债务',
 '{S}以{P}名义，通过融资平台公司向金融机构违规融资{A}，形成地方政府隐性债务。',
 '{S}以{P}名义，通过融资平台公司向金融机构违规融资，形成地方政府隐性债务。',
 '《中华人民共和国预算法》第三十五条、第九十四条', '已制定化债方案并完成违规债务清理'),
('debt', 3, '挪用地方政府专项债券资金',
 '{S}将用于{P}的地方政府专项债券资金{A}挪用于日常经费支出。',
 '{S}将用于{P}的地方政府专项债券资金挪用于日常经费支出。',
 '《中华人民共和国预算法》第九十四条', '已收回挪用资金并调整用途'),
('debt', 4, '地方政府债务信息未按规定公开',
 '{S}未按规定公开{Y}年度新增专项债券{A}的使用情况。',
 '{S}未按规定公开{Y}年度地方政府债务限额、余额和使用情况。',
 '《中华人民共和国预算法》第十四条', '已补充公开相关信息'),
('grassroots', 0, '拖欠社区保洁服务费用',
 '{S}拖欠{V}社区保洁服务费{A}，逾期{N}日仍未支付。',
 '{S}拖欠{V}社区保洁服务费，逾期{N}日仍未支付。',
 '《保障中小企业款项支付条例》第八条', '已结清保洁服务费'),
('grassroots', 1, '拖欠物业服务企业补贴',
 '{S}未按约定向{V}拨付老旧小区物业管理补贴{A}。',
 '{S}未按约定向{V}拨付老旧小区物业管理补贴，影响小区物业服务正常开展。',
 '《中华人民共和国民法典》第五百零九条', '已拨付物业管理补贴'),
('grassroots', 2, '街道便民服务承诺未履行',
 '{S}于{D1}公开承诺在{P}中投入资金{A}，承诺期满后仍未兑现。',
 '{S}于{D1}公开承诺的{P}事项在承诺期满后仍未完成，群众反映强烈。',
 '《国务院关于加强政务诚信建设的指导意见》（国发〔2016〕76号）；《天津市社会信用条例》', '已制定整改计划并向居民公开说明'),
('grassroots', 3, '老旧小区改造承诺未按期兑现',
 '{S}承诺于{Y}年底前完成{P}（总投资{A}），至今仍未完工。',
 '{S}承诺于{Y}年底前完成{P}，至今仍未完工。',
 '《国务院关于加强政务诚信建设的指导意见》（国发〔2016〕76号）', '已调整工期并公开改造进度'),
('grassroots', 4, '惠民补贴发放不及时',
 '{S}未按规定时限发放困难群众冬季取暖补贴，涉及{N}户居民、金额{A}。',
 '{S}未按规定时限发放困难群众冬季取暖补贴，涉及{N}户居民。',
 '《国务院关于加强政务诚信建设的指导意见》（国发〔2016〕76号）', '已补发全部补贴'),
('other', 0, '拒不履行人民法院生效判决',
 '{S}与{V}合同纠纷一案，人民法院判决{S0}支付{A}，判决生效后{S0}未履行。',
 '{S}与{V}合同纠纷一案，人民法院判决{S0}继续履行合同，判决生效后{S0}未履行。',
 '《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条', '已履行判决确定的给付义务'),
('other', 1, '拖欠农民工工资',
 '{S}作为{P}建设单位，未按约定拨付人工费用，导致施工单位拖欠农民工工资{A}。',
 '{S}作为{P}建设单位，未按约定拨付人工费用，导致施工单位拖欠{N}名农民工工资。',
 '《保障农民工工资支付条例》', '已足额拨付人工费用'),
('other', 2, '拒不履行行政复议决定',
 '{S}收到行政复议决定书后，未在规定期限内履行退还{V}{A}的义务。',
 '{S}收到行政复议决定书后，未在规定期限内重新作出行政行为。',
 '《中华人民共和国行政复议法》', '已履行行政复议决定'),
('other', 3, '政府信息公开不及时不准确',
 '{S}在{P}中未按规定公开财政资金{A}的使用情况。',
 '{S}未按规定主动公开{P}相关政府信息，经督促后仍未改正。',
 '《中华人民共和国政府信息公开条例》第二十条', '已补充公开并建立定期公开机制'),
('other', 4, '违规收取保证金',
 '{S}在{P}中违规向{V}收取保证金{A}。',
 '{S}在{P}中违规要求{V}以现金形式缴纳保证金。',
 '《国务院关于加强政务诚信建设的指导意见》（国发〔2016〕76号）', '已退还违规收取的保证金');

-- Sanction by category and kind (k 0..2): title suffix, closing sentence
-- ({AUTH} the deciding authority, {S0} the subject's name), legal basis.
CREATE TABLE demo_sanction (
    category ENUM('judgment','penalty','discipline','accountability','breach') NOT NULL,
    kind     ENUM('gov','official') NOT NULL,
    k        TINYINT NOT NULL,
    suffix   VARCHAR(50) NOT NULL,
    closing  VARCHAR(300) NOT NULL,
    basis    VARCHAR(200) NOT NULL,
    PRIMARY KEY (category, kind, k)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_sanction (category, kind, k, suffix, closing, basis) VALUES
('judgment', 'gov', 0, '，被人民法院判决承担违约责任',
 '{AUTH}经审理判决{S0}支付相应款项并承担违约责任，{S0}未在判决确定的期限内履行。', '《中华人民共和国民法典》第五百七十七条'),
('judgment', 'gov', 1, '，被列为失信被执行人',
 '因{S0}未履行生效法律文书确定的义务，{AUTH}依法将其纳入失信被执行人名单。', '《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条'),
('judgment', 'gov', 2, '，被人民法院强制执行',
 '{AUTH}依法立案强制执行，{S0}在执行期间仍未主动履行。', '《中华人民共和国民事诉讼法》'),
('penalty', 'gov', 0, '，被责令限期改正',
 '{AUTH}依法责令{S0}限期改正，并予以警告。', '《中华人民共和国行政处罚法》第二十八条'),
('penalty', 'gov', 1, '，被予以警告并通报',
 '{AUTH}依法对{S0}予以警告，并在全市范围内通报。', '《中华人民共和国行政处罚法》第二十八条'),
('penalty', 'gov', 2, '，被责令整改并约谈主要负责人',
 '{AUTH}责令{S0}限期整改，并约谈其主要负责人。', '《中华人民共和国行政处罚法》第二十八条'),
('breach', 'gov', 0, '',
 '经{AUTH}核实，{S0}的上述行为构成政务失信行为，依法予以公示。', '《天津市社会信用条例》'),
('breach', 'gov', 1, '',
 '{AUTH}经调查认定{S0}存在政务失信行为，已督促其限期整改。', '《天津市社会信用条例》'),
('breach', 'gov', 2, '',
 '经{AUTH}认定，{S0}的上述行为违反诚实守信原则，列入政务失信记录。', '《国务院关于加强政务诚信建设的指导意见》（国发〔2016〕76号）'),
('discipline', 'gov', 0, '，被通报批评',
 '{AUTH}对{S0}予以通报批评，责令其深刻检查。', '《中国共产党问责条例》第八条'),
('discipline', 'gov', 1, '，被责令作出书面检查',
 '{AUTH}责令{S0}作出书面检查，并在全区范围内通报。', '《中国共产党问责条例》第八条'),
('discipline', 'gov', 2, '，被纪检监察机关督促整改',
 '{AUTH}向{S0}制发监察建议书，督促其限期整改。', '《中华人民共和国监察法》'),
('discipline', 'official', 0, '，受到政务警告处分',
 '经{AUTH}研究，决定给予{S0}政务警告处分。', '《中华人民共和国公职人员政务处分法》第三十九条'),
('discipline', 'official', 1, '，受到政务记过处分',
 '经{AUTH}研究，决定给予{S0}政务记过处分。', '《中华人民共和国公职人员政务处分法》第三十九条'),
('discipline', 'official', 2, '，受到政务记大过处分',
 '经{AUTH}研究，决定给予{S0}政务记大过处分。', '《中华人民共和国公职人员政务处分法》第三十九条'),
('accountability', 'gov', 0, '，被约谈问责',
 '{AUTH}约谈{S0}主要负责人，责令限期整改。', '《中国共产党问责条例》第七条'),
('accountability', 'gov', 1, '，被责令整改并通报',
 '{AUTH}对{S0}予以通报，责令其作出书面检查。', '《中国共产党问责条例》第七条'),
('accountability', 'gov', 2, '，被问责',
 '经{AUTH}研究，决定对{S0}进行问责，责令其限期整改到位。', '《中国共产党问责条例》第七条'),
('accountability', 'official', 0, '，被诫勉',
 '经{AUTH}研究，决定对{S0}予以诫勉。', '《中国共产党问责条例》第七条、第八条'),
('accountability', 'official', 1, '，被通报批评',
 '经{AUTH}研究，决定对{S0}予以通报批评。', '《中国共产党问责条例》第七条、第八条'),
('accountability', 'official', 2, '，被调整职务',
 '经{AUTH}研究，决定对{S0}予以调整职务处理。', '《中国共产党问责条例》第七条、第八条');

SELECT '@phase', 'record plan';

-- ---------------------------------------------------------------------------
-- Records, staged in three set-based passes over seq_1_to_N
-- ---------------------------------------------------------------------------
-- Pass 0: eight independent 32-bit pseudo-random numbers per record.
--   h1: category | kind | conduct       h2: domain | severity | sanction
--   h3: subject (high bits) | amount     h4: status | event offsets
--   h5: (unused) | company | project         h6: department | count | decided_on
--   h7: dates in the facts | amount?     h8: rectification
CREATE TABLE demo_h (
    seq INT UNSIGNED NOT NULL PRIMARY KEY,
    h1 INT UNSIGNED NOT NULL, h2 INT UNSIGNED NOT NULL, h3 INT UNSIGNED NOT NULL, h4 INT UNSIGNED NOT NULL,
    h5 INT UNSIGNED NOT NULL, h6 INT UNSIGNED NOT NULL, h7 INT UNSIGNED NOT NULL, h8 INT UNSIGNED NOT NULL
) ENGINE=MyISAM;

INSERT INTO demo_h
SELECT s.seq,
       CONV(SUBSTRING(MD5(s.seq), 1, 8), 16, 10),  CONV(SUBSTRING(MD5(s.seq), 9, 8), 16, 10),
       CONV(SUBSTRING(MD5(s.seq), 17, 8), 16, 10), CONV(SUBSTRING(MD5(s.seq), 25, 8), 16, 10),
       CONV(SUBSTRING(MD5(CONCAT('#', s.seq)), 1, 8), 16, 10), CONV(SUBSTRING(MD5(CONCAT('#', s.seq)), 9, 8), 16, 10),
       CONV(SUBSTRING(MD5(CONCAT('#', s.seq)), 17, 8), 16, 10), CONV(SUBSTRING(MD5(CONCAT('#', s.seq)), 25, 8), 16, 10)
  FROM seq_1_to_100000000 AS s
 WHERE s.seq <= @demo_records;

-- Pass 1: classification and disclosure date. Records 1..36 are pinned:
-- severity (seq-1) mod 3, withdraw_on yesterday/today/tomorrow.
CREATE TABLE demo_r1 (
    seq          INT UNSIGNED NOT NULL PRIMARY KEY,
    category     ENUM('judgment','penalty','discipline','accountability','breach') NOT NULL,
    kind         ENUM('gov','official') NOT NULL,
    domain       ENUM('procurement','ppp','bidding','investment','debt','grassroots','other') NOT NULL,
    severity     ENUM('minor','general','serious') NOT NULL,
    pinned       BOOLEAN NOT NULL,
    disclosed_on DATE NOT NULL
) ENGINE=MyISAM;

INSERT INTO demo_r1
SELECT x.seq, x.category,
       CASE WHEN x.category = 'discipline' AND (x.h1 DIV 1000) MOD 1000 < 850 THEN 'official'
            WHEN x.category = 'accountability' AND (x.h1 DIV 1000) MOD 1000 < 700 THEN 'official'
            ELSE 'gov' END,
       x.domain, x.severity, x.pinned,
       CASE WHEN x.pinned THEN
                 (@today - INTERVAL 1 DAY + INTERVAL ((x.seq - 1) DIV 3) MOD 3 DAY)
                 - INTERVAL CASE x.severity WHEN 'minor' THEN 3 WHEN 'general' THEN 12 ELSE 36 END MONTH
            WHEN WEEKDAY(x.d) = 5 THEN x.d - INTERVAL 1 DAY
            WHEN WEEKDAY(x.d) = 6 THEN IF(x.d < @today, x.d + INTERVAL 1 DAY, x.d - INTERVAL 2 DAY)
            ELSE x.d END
  FROM (SELECT h.seq, h.h1, h.seq <= 36 AS pinned,
               @from + INTERVAL FLOOR((h.seq - 1) * (@days + 1) / @demo_records) DAY AS d,
               CASE WHEN h.h1 MOD 1000 < 350 THEN 'breach'
                    WHEN h.h1 MOD 1000 < 550 THEN 'penalty'
                    WHEN h.h1 MOD 1000 < 730 THEN 'judgment'
                    WHEN h.h1 MOD 1000 < 870 THEN 'accountability'
                    ELSE 'discipline' END AS category,
               CASE WHEN h.h2 MOD 1000 < 250 THEN 'procurement'
                    WHEN h.h2 MOD 1000 < 350 THEN 'ppp'
                    WHEN h.h2 MOD 1000 < 480 THEN 'bidding'
                    WHEN h.h2 MOD 1000 < 600 THEN 'investment'
                    WHEN h.h2 MOD 1000 < 680 THEN 'debt'
                    WHEN h.h2 MOD 1000 < 880 THEN 'grassroots'
                    ELSE 'other' END AS domain,
               CASE WHEN h.seq <= 36 THEN ELT((h.seq - 1) MOD 3 + 1, 'minor', 'general', 'serious')
                    WHEN (h.h2 DIV 1000) MOD 1000 < 200 THEN 'minor'
                    WHEN (h.h2 DIV 1000) MOD 1000 < 700 THEN 'general'
                    ELSE 'serious' END AS severity
          FROM demo_h AS h) AS x;

-- Pass 2: the disclosure clock (mirrors records.repair_from/withdraw_on) and
-- the status. Shares of all records: contested ~5% (only while public),
-- corrected 5%, repaired ~4% (only after repair_from), revoked 3%, expired
-- ~3% (only when withdraw_on <= today), published the rest; pinned records
-- stay published.
CREATE TABLE demo_r2 (
    seq          INT UNSIGNED NOT NULL PRIMARY KEY,
    repair_from  DATE NULL,
    withdraw_on  DATE NOT NULL,
    status       ENUM('published','contested','corrected','repaired','revoked','expired') NOT NULL
) ENGINE=MyISAM;

INSERT INTO demo_r2
SELECT y.seq, y.rf, y.wd,
       CASE WHEN y.pinned THEN 'published'
            WHEN y.wd > @today AND y.s < 1200 THEN 'contested'
            WHEN y.s BETWEEN 1200 AND 1699 THEN 'corrected'
            WHEN y.rf <= @today - INTERVAL 7 DAY AND y.s BETWEEN 1700 AND 2299 THEN 'repaired'
            WHEN y.s BETWEEN 2300 AND 2599 THEN 'revoked'
            WHEN y.wd <= @today AND y.s BETWEEN 2600 AND 3099 THEN 'expired'
            ELSE 'published' END
  FROM (SELECT r.seq, r.pinned, h.h4 MOD 10000 AS s,
               CASE r.severity WHEN 'general' THEN r.disclosed_on + INTERVAL 3 MONTH
                               WHEN 'serious' THEN r.disclosed_on + INTERVAL 1 YEAR
                               ELSE NULL END AS rf,
               CASE r.severity WHEN 'minor'   THEN r.disclosed_on + INTERVAL 3 MONTH
                               WHEN 'general' THEN r.disclosed_on + INTERVAL 1 YEAR
                               ELSE r.disclosed_on + INTERVAL 3 YEAR END AS wd
          FROM demo_r1 AS r JOIN demo_h AS h ON h.seq = r.seq) AS y;

-- Pass 3: subject, department, dates of the decision and of later events,
-- amount, rectification and text choices.
CREATE TABLE demo_rec (
    seq          INT UNSIGNED NOT NULL PRIMARY KEY,
    subject_id   BIGINT UNSIGNED NOT NULL,
    kind         ENUM('gov','official') NOT NULL,
    district     VARCHAR(16) NOT NULL,
    category     ENUM('judgment','penalty','discipline','accountability','breach') NOT NULL,
    domain       ENUM('procurement','ppp','bidding','investment','debt','grassroots','other') NOT NULL,
    severity     ENUM('minor','general','serious') NOT NULL,
    status       ENUM('published','contested','corrected','repaired','revoked','expired') NOT NULL,
    disclosed_on DATE NOT NULL,
    withdraw_on  DATE NOT NULL,
    decided_on   DATE NOT NULL,
    dept_id      INT UNSIGNED NOT NULL,
    contested_on DATE NULL,
    final_on     DATE NULL COMMENT 'corrected/repaired/revoked/expired',
    amount       DECIMAL(15,2) NULL,
    has_rect     BOOLEAN NOT NULL,
    rectify_due  DATE NULL,
    rectified    BOOLEAN NOT NULL,
    d1           DATE NOT NULL,
    d2           DATE NOT NULL,
    cnt          INT NOT NULL,
    ck           TINYINT NOT NULL,
    sk           TINYINT NOT NULL,
    pk           TINYINT NOT NULL,
    va           TINYINT NOT NULL,
    vb           TINYINT NOT NULL,
    direct       BOOLEAN NOT NULL,
    note_k       TINYINT NOT NULL,
    rect_k       TINYINT NOT NULL
) ENGINE=MyISAM;

INSERT INTO demo_rec
SELECT z.seq, z.subject_id, z.kind, z.district, z.category, z.domain, z.severity, z.status,
       z.disclosed_on, z.withdraw_on, z.decided_on, z.dept_id, z.contested_on, z.final_on,
       z.amount, z.has_rect OR z.status = 'repaired',
       IF(z.has_rect OR z.status = 'repaired',
          IF(z.status = 'repaired', LEAST(z.due, z.final_on), z.due), NULL),
       z.status = 'repaired'
         OR (z.has_rect AND IF(z.due < @today, z.r10 < 7, z.r10 < 2)),
       z.decided_on - INTERVAL (60 + z.h7 MOD 600) DAY,
       z.decided_on - INTERVAL (3 + (z.h7 DIV 600) MOD 30) DAY,
       z.cnt, z.ck, z.sk, z.pk, z.va, z.vb, z.direct, z.note_k, z.rect_k
  FROM (SELECT y.*,
               CASE y.status
                   WHEN 'corrected' THEN LEAST(y.contested_on + INTERVAL (5 + y.f MOD 25) DAY, @today)
                   WHEN 'repaired'  THEN y.repair_from + INTERVAL
                        LEAST(y.e + y.f MOD 60, DATEDIFF(LEAST(@today, y.withdraw_on - INTERVAL 1 DAY), y.repair_from)) DAY
                   WHEN 'revoked'   THEN LEAST(@today, y.withdraw_on - INTERVAL 1 DAY,
                        GREATEST(y.disclosed_on + INTERVAL (10 + y.f MOD 90) DAY,
                                 COALESCE(y.contested_on + INTERVAL 10 DAY, y.disclosed_on)))
                   WHEN 'expired'   THEN y.withdraw_on
                   ELSE NULL END AS final_on
          FROM (SELECT r.seq, r.kind, r.category, r.domain, r.severity, r.disclosed_on,
                       r2.status, r2.repair_from, r2.withdraw_on,
                       k.id AS subject_id, k.district, dp.id AS dept_id,
                       (h.h4 DIV 10000) MOD 100 AS e, (h.h4 DIV 1000000) MOD 1000 AS f, h.h7,
                       r.disclosed_on - INTERVAL (1 + (h.h6 DIV 2400) MOD 12) DAY
                         - INTERVAL CASE WEEKDAY(r.disclosed_on - INTERVAL (1 + (h.h6 DIV 2400) MOD 12) DAY)
                                        WHEN 5 THEN 1 WHEN 6 THEN 2 ELSE 0 END DAY AS decided_on,
                       CASE r2.status
                           WHEN 'contested' THEN GREATEST(r.disclosed_on, @today - INTERVAL ((h.h4 DIV 10000) MOD 25) DAY)
                           WHEN 'corrected' THEN LEAST(r.disclosed_on + INTERVAL (3 + (h.h4 DIV 10000) MOD 60) DAY, @today)
                           WHEN 'revoked' THEN IF((h.h4 DIV 1000000) MOD 2 = 0,
                                LEAST(r.disclosed_on + INTERVAL (3 + (h.h4 DIV 10000) MOD 30) DAY, @today), NULL)
                           ELSE NULL END AS contested_on,
                       IF((h.h7 DIV 18000) MOD 100 < dm.p_amt,
                          CAST(ROUND(EXP(LN(dm.lo) + (h.h3 MOD 100000) / 100000 * LN(dm.hi / dm.lo)),
                                     IF((h.h6 DIV 115200) MOD 2 = 0, 2, -2)) AS DECIMAL(15,2)),
                          NULL) AS amount,
                       (h.h8 DIV 151) MOD 100 < 75 AS has_rect,
                       r.disclosed_on + INTERVAL (30 + h.h8 MOD 151) DAY AS due,
                       (h.h8 DIV 15100) MOD 10 AS r10,
                       30 + (h.h6 DIV 8) MOD 300 AS cnt,
                       IF(r.category = 'judgment', (h.h1 DIV 1000000) MOD 2, (h.h1 DIV 1000000) MOD 5) AS ck,
                       (h.h2 DIV 1000000) MOD 3 AS sk,
                       (h.h5 DIV 200000) MOD 10 AS pk,
                       (h.h5 DIV 1000) MOD 20 AS va,
                       (h.h5 DIV 20000) MOD 10 AS vb,
                       (h.h8 DIV 151000) MOD 2 = 0 AS direct,
                       (h.h6 DIV 28800) MOD 4 AS note_k,
                       (h.h8 DIV 302000) MOD 4 AS rect_k
                  FROM demo_r1 AS r
                  JOIN demo_r2 AS r2 ON r2.seq = r.seq
                  JOIN demo_h AS h ON h.seq = r.seq
                  JOIN demo_domain AS dm ON dm.domain = r.domain
                  JOIN demo_pool AS p ON p.pool = IF(r.kind = 'gov', 0, 10) + (r.domain + 0)
                  JOIN demo_pick AS k ON k.pool = p.pool
                       AND k.rn = 1 + FLOOR(POW(h.h3 / 4294967296, 1.6) * p.n)
                  JOIN demo_dept AS dp ON dp.district = k.district
                       AND dp.dkind = CASE
                           WHEN r.category = 'judgment' THEN 'court'
                           WHEN r.category IN ('discipline', 'accountability') THEN 'disc'
                           WHEN r.domain = 'procurement' THEN 'fin'
                           WHEN r.domain = 'ppp' THEN IF(h.h6 MOD 2 = 0, 'fin', 'drc')
                           WHEN r.domain = 'bidding' THEN IF(h.h6 MOD 2 = 0, 'drc', 'hc')
                           WHEN r.domain = 'investment' THEN IF(h.h6 MOD 2 = 0, 'com', 'drc')
                           WHEN r.domain = 'debt' THEN IF(h.h6 MOD 2 = 0, 'fin', 'aud')
                           WHEN r.domain = 'grassroots' THEN 'gsb'
                           ELSE IF(h.h6 MOD 2 = 0, 'aud', 'mkt') END
                       AND dp.v = IF(r.category = 'judgment' AND k.district = 'city', (h.h6 DIV 2) MOD 4, 0)
               ) AS y
       ) AS z;

-- Pass 4: the numbers: record_no per disclosure year; 文号 per department,
-- category and year; withdrawal decisions per department, status and year.
-- (A separate pass over a narrow stored table, so that the window functions'
-- temporary table is small and stays in memory.)
CREATE TABLE demo_num (
    seq      INT UNSIGNED NOT NULL PRIMARY KEY,
    rn_year  INT NOT NULL,
    rn_dec   INT NOT NULL,
    rn_final INT NOT NULL
) ENGINE=MyISAM;

INSERT INTO demo_num
SELECT seq,
       ROW_NUMBER() OVER (PARTITION BY YEAR(disclosed_on) ORDER BY disclosed_on, seq),
       ROW_NUMBER() OVER (PARTITION BY dept_id, category, YEAR(decided_on) ORDER BY decided_on, seq),
       ROW_NUMBER() OVER (PARTITION BY dept_id, status, YEAR(final_on) ORDER BY final_on, seq)
  FROM demo_rec;

-- ---------------------------------------------------------------------------
-- Load records and record_events in chunks
-- ---------------------------------------------------------------------------
SET @rbase = (SELECT COALESCE(MAX(id), 0) FROM records);

DELIMITER $$
DROP PROCEDURE IF EXISTS demo_load $$
CREATE PROCEDURE demo_load()
BEGIN
    DECLARE lo INT UNSIGNED DEFAULT 1;
    DECLARE hi INT UNSIGNED;
    WHILE lo <= @demo_records DO
        SET hi = lo + @chunk - 1;

        INSERT INTO records (id, record_no, subject_id, subject_kind, district, category, domain,
                             severity, status, title, facts, legal_basis, decision_no, authority,
                             decided_on, department_id, amount, rectification, rectify_due,
                             rectified, correction_note, disclosed_on, withdrawn_on)
        SELECT STRAIGHT_JOIN @rbase + r.seq,
               CONCAT('TJZW-', YEAR(r.disclosed_on), '-', LPAD(n.rn_year, 6, '0')),
               r.subject_id, r.kind, r.district, r.category, r.domain, r.severity, r.status,
               IF(r.kind = 'gov', CONCAT(c.title, sa.suffix),
                  CONCAT('对', c.title, '负有', IF(r.direct, '直接责任', '领导责任'), sa.suffix)),
               REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
                   CONCAT(IF(r.amount IS NULL, c.facts_n, c.facts_a), sa.closing),
                   '{S}', IF(r.kind = 'gov', s.name, CONCAT('时任', s.emp_name, s.position, '的', s.name))),
                   '{S0}', s.name),
                   '{P}', pj.w),
                   '{V}', CONCAT('天津', va.w, vb.w)),
                   '{A}', CASE WHEN r.amount IS NULL THEN ''
                               WHEN r.amount >= 10000 THEN CONCAT(FORMAT(r.amount / 10000, 2), '万元')
                               ELSE CONCAT(FORMAT(r.amount, 2), '元') END),
                   '{D1}', DATE_FORMAT(r.d1, '%Y年%c月%e日')),
                   '{D2}', DATE_FORMAT(r.d2, '%Y年%c月%e日')),
                   '{N}', r.cnt),
                   '{Y}', YEAR(r.decided_on) - 1),
                   '{AUTH}', dp.name),
               CONCAT(c.basis, '；', sa.basis),
               IF(r.category = 'judgment',
                  CONCAT('（', YEAR(r.decided_on), '）津', dp.court,
                         CASE WHEN r.sk > 0 THEN '执' WHEN dp.district = 'city' THEN '民终' ELSE '民初' END,
                         n.rn_dec, '号'),
                  CONCAT(dp.abbr, ELT(r.category + 0, '', '罚', '处', '问责', '决'),
                         '〔', YEAR(r.decided_on), '〕', n.rn_dec, '号')),
               dp.name, r.decided_on, r.dept_id, r.amount,
               IF(r.has_rect, CONCAT(c.rect, ELT(r.rect_k + 1, '，并对相关责任人进行约谈。',
                                                 '，整改材料已报送信用主管部门。',
                                                 '，并建立长效监督机制。', '。')), NULL),
               r.rectify_due, r.rectified,
               IF(r.status = 'corrected',
                  ELT(r.note_k + 1, '经核查，原公示信息中涉及金额表述有误，已予更正。',
                                    '经核查，原公示信息中失信行为发生日期有误，已予更正。',
                                    '经核查，原公示信息中主体名称表述不规范，已更正为登记名称。',
                                    '经核查，原公示信息中决定文书文号有误，已予更正。'), NULL),
               r.disclosed_on,
               IF(r.status IN ('repaired', 'revoked'), r.final_on, NULL)
          FROM demo_rec AS r
          JOIN demo_num AS n ON n.seq = r.seq
          JOIN demo_subj AS s ON s.id = r.subject_id
          JOIN demo_dept AS dp ON dp.id = r.dept_id
          JOIN demo_conduct AS c ON c.domain = r.domain AND c.k = r.ck
          JOIN demo_sanction AS sa ON sa.category = r.category AND sa.kind = r.kind AND sa.k = r.sk
          JOIN demo_words AS pj ON pj.list = CONCAT('p_', r.domain) AND pj.k = r.pk
          JOIN demo_words AS va ON va.list = 'va' AND va.k = r.va
          JOIN demo_words AS vb ON vb.list = 'vb' AND vb.k = r.vb
         WHERE r.seq BETWEEN lo AND hi
         ORDER BY r.seq;

        INSERT INTO record_events (record_id, event, occurred_on, decision_no, note)
        SELECT @rbase + r.seq, 'listed', r.disclosed_on, NULL, NULL
          FROM demo_rec AS r
         WHERE r.seq BETWEEN lo AND hi
         ORDER BY r.seq;

        INSERT INTO record_events (record_id, event, occurred_on, decision_no, note)
        SELECT @rbase + r.seq, 'contested', r.contested_on, NULL,
               '收到异议申请，该记录标注为异议处理中。'
          FROM demo_rec AS r
         WHERE r.seq BETWEEN lo AND hi AND r.contested_on IS NOT NULL
         ORDER BY r.seq;

        INSERT INTO record_events (record_id, event, occurred_on, decision_no, note)
        SELECT STRAIGHT_JOIN @rbase + r.seq, r.status, r.final_on,
               CASE WHEN r.status = 'repaired'
                        THEN CONCAT(dp.abbr, '信修〔', YEAR(r.final_on), '〕', n.rn_final, '号')
                    WHEN r.status = 'revoked'
                        THEN CONCAT(dp.abbr, '撤〔', YEAR(r.final_on), '〕', n.rn_final, '号')
                    ELSE NULL END,
               CASE r.status
                   WHEN 'corrected' THEN ELT(r.note_k + 1, '经核查，原公示信息中涉及金额表述有误，已予更正。',
                                                           '经核查，原公示信息中失信行为发生日期有误，已予更正。',
                                                           '经核查，原公示信息中主体名称表述不规范，已更正为登记名称。',
                                                           '经核查，原公示信息中决定文书文号有误，已予更正。')
                   WHEN 'repaired' THEN '信用主体已完成整改并作出信用承诺，准予信用修复，提前停止公示。'
                   WHEN 'revoked' THEN '经复核，原认定事实不清、依据不足，决定撤销该失信记录。'
                   ELSE '公示期满，自动停止公示。' END
          FROM demo_rec AS r
          JOIN demo_num AS n ON n.seq = r.seq
          JOIN demo_dept AS dp ON dp.id = r.dept_id
         WHERE r.seq BETWEEN lo AND hi AND r.final_on IS NOT NULL
         ORDER BY r.seq;

        SELECT '@rows', LEAST(hi, @demo_records), @demo_records;
        SET lo = hi + 1;
    END WHILE;
END $$
DELIMITER ;

-- Every INSERT ... SELECT above reads demo_rec in primary-key order through
-- eq_ref lookups (STRAIGHT_JOIN): no temporary table, no filesort.
SELECT '@phase', 'records and their events';
SET SESSION unique_checks = 0;
CALL demo_load();
SET SESSION unique_checks = 1;

SELECT '@phase', 'ratings and commitments';

-- ---------------------------------------------------------------------------
-- Ratings (政务诚信评价) 2024 and 2025: district governments, municipal
-- departments and about a quarter of the district departments.
-- score = sum of the indicator scores; indicator score = weight * raw / 100.
-- ---------------------------------------------------------------------------
CREATE TABLE demo_rt (
    ord          INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    id           BIGINT UNSIGNED NULL COMMENT 'ratings.id',
    subject_id   BIGINT UNSIGNED NOT NULL,
    year         SMALLINT NOT NULL,
    q            DOUBLE NOT NULL COMMENT 'overall quality',
    c            TINYINT NOT NULL COMMENT 'indicators, 4..6',
    o            TINYINT NOT NULL COMMENT 'rotation of the optional indicators',
    published_on DATE NOT NULL
) ENGINE=MyISAM;

INSERT INTO demo_rt (subject_id, year, q, c, o, published_on)
SELECT s.id, y.y,
       100 - 48 * POW(demo_hash(CONCAT('q', y.y), s.id) / 4294967296, 2.2),
       4 + demo_hash(CONCAT('c', y.y), s.id) MOD 3,
       demo_hash('o', s.id) MOD 6,
       LEAST(MAKEDATE(y.y + 1, 1) + INTERVAL (70 + demo_hash('pub', y.y) MOD 20) DAY, @today)
  FROM demo_subj AS s
  JOIN (SELECT 2024 AS y UNION ALL SELECT 2025) AS y
 WHERE s.kind = 'gov'
   AND (s.gtype IN ('disg', 'ctyd') OR (s.gtype = 'disd' AND demo_hash('rate', s.id) MOD 4 = 0))
   AND MAKEDATE(y.y + 1, 1) <= @today
   AND NOT EXISTS (SELECT 1 FROM ratings AS r WHERE r.subject_id = s.id AND r.year = y.y)
 ORDER BY y.y, s.id;

CREATE TABLE demo_ri (
    rating_id BIGINT UNSIGNED NOT NULL,
    code      VARCHAR(32) NOT NULL,
    name      VARCHAR(100) NOT NULL,
    weight    DECIMAL(5,2) NOT NULL,
    raw_value DECIMAL(10,2) NOT NULL,
    score     DECIMAL(5,2) NOT NULL,
    PRIMARY KEY (rating_id, code)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO demo_ri (rating_id, code, name, weight, raw_value, score)
SELECT x.rating_id, x.code, x.name, x.weight, x.raw, ROUND(x.weight * x.raw / 100, 2)
  FROM (SELECT t.ord AS rating_id, i.code, i.name,
               CASE t.c WHEN 4 THEN ELT(i.p + 1, 30, 25, 25, 20)
                        WHEN 5 THEN ELT(i.p + 1, 25, 20, 20, 20, 15)
                        ELSE ELT(i.p + 1, 20, 20, 15, 15, 15, 15) END AS weight,
               ROUND(LEAST(100, GREATEST(20, t.q + (demo_hash(i.code, t.ord) MOD 2001) / 100 - 10)), 2) AS raw
          FROM demo_rt AS t
          JOIN (SELECT a.k, a.code, a.name, IF(a.k = 0, 0, 1 + (a.k + 5 - o.o) MOD 6) AS p, o.o
                  FROM (SELECT 0 AS k, 'complaint_timely' AS code, '投诉办理及时率' AS name
                        UNION ALL SELECT 1, 'contract_kept',   '政府合同履约率'
                        UNION ALL SELECT 2, 'payment_cleared', '中小企业账款清偿率'
                        UNION ALL SELECT 3, 'disclosure',      '政务公开及时率'
                        UNION ALL SELECT 4, 'promise_kept',    '公开承诺践诺率'
                        UNION ALL SELECT 5, 'rectified',       '失信记录整改完成率'
                        UNION ALL SELECT 6, 'court_appear',    '行政机关负责人出庭应诉率') AS a
                  JOIN (SELECT seq AS o FROM seq_0_to_5) AS o) AS i
            ON i.o = t.o AND i.p < t.c) AS x;

INSERT INTO ratings (subject_id, year, score, grade, published_on)
SELECT t.subject_id, t.year, x.score,
       CASE WHEN x.score >= 90 THEN 'A' WHEN x.score >= 80 THEN 'B' WHEN x.score >= 60 THEN 'C' ELSE 'D' END,
       t.published_on
  FROM demo_rt AS t
  JOIN (SELECT rating_id, SUM(score) AS score FROM demo_ri GROUP BY rating_id) AS x
    ON x.rating_id = t.ord
 ORDER BY t.ord;

UPDATE demo_rt AS t JOIN ratings AS r ON r.subject_id = t.subject_id AND r.year = t.year SET t.id = r.id;

INSERT INTO rating_indicators (rating_id, code, name, weight, raw_value, score)
SELECT t.id, i.code, i.name, i.weight, i.raw_value, i.score
  FROM demo_ri AS i JOIN demo_rt AS t ON t.ord = i.rating_id
 ORDER BY t.id, i.code;

-- ---------------------------------------------------------------------------
-- Commitments (公开承诺) of every 街道 and 乡镇: 3 to 5 each, all areas.
-- ---------------------------------------------------------------------------
INSERT INTO commitments (subject_id, area, text, promised_on, status, evidence)
SELECT x.subject_id, x.area,
       REPLACE(x.tpl, '{N}', x.lo + x.h MOD (x.hi - x.lo + 1)),
       x.promised_on,
       x.status,
       CASE x.status
           WHEN 'kept' THEN CONCAT('已于', DATE_FORMAT(LEAST(x.promised_on + INTERVAL (90 + x.h MOD 200) DAY, @today),
                                   '%Y年%c月%e日'), '完成，相关材料已在政务公开栏公示。')
           WHEN 'broken' THEN '因资金未落实未能按期完成，已向辖区居民作出说明并重新制定计划。'
           ELSE NULL END
  FROM (SELECT s.id AS subject_id, a.area, IF(h.h MOD 2 = 0, a.tpl1, a.tpl2) AS tpl,
               IF(h.h MOD 2 = 0, a.lo1, a.lo2) AS lo, IF(h.h MOD 2 = 0, a.hi1, a.hi2) AS hi,
               h.h, h.pd AS promised_on,
               CASE WHEN h.pd > @today - INTERVAL 180 DAY THEN IF(h.h MOD 10 < 8, 'pending', 'kept')
                    WHEN h.h MOD 10 < 7 THEN 'kept'
                    WHEN h.h MOD 10 < 9 THEN 'broken'
                    ELSE 'pending' END AS status
          FROM demo_subj AS s
          JOIN seq_1_to_5 AS n
          JOIN (SELECT s2.id, n2.seq, demo_hash('cm', s2.id * 10 + n2.seq) AS h,
                       LEAST(MAKEDATE(2024 + demo_hash('cy', s2.id * 10 + n2.seq) MOD 3,
                                      1 + demo_hash('cd', s2.id * 10 + n2.seq) MOD 300), @today) AS pd
                  FROM demo_subj AS s2 JOIN seq_1_to_5 AS n2
                 WHERE s2.kind = 'gov' AND s2.gtype IN ('street', 'town')) AS h
            ON h.id = s.id AND h.seq = n.seq
          JOIN (SELECT 0 AS k, 'employment' AS area, '年内帮助辖区{N}名就业困难人员实现就业' AS tpl1, 50 AS lo1, 300 AS hi1,
                       '举办线上线下招聘会{N}场' AS tpl2, 6 AS lo2, 24 AS hi2
                UNION ALL SELECT 1, 'property', '推动{N}个老旧小区引入专业化物业服务', 3, 20, '物业服务投诉办结率达到{N}%', 90, 100
                UNION ALL SELECT 2, 'schooling', '新增普惠性幼儿园学位{N}个', 60, 300, '辖区适龄儿童义务教育入学率保持{N}%', 100, 100
                UNION ALL SELECT 3, 'family', '为辖区{N}户计划生育特殊家庭落实结对帮扶', 10, 80, '开展优生优育健康宣传活动{N}场', 4, 12
                UNION ALL SELECT 4, 'elderly', '新建社区老年人助餐点{N}个', 2, 10, '为{N}户高龄独居老人完成居家适老化改造', 30, 200
                UNION ALL SELECT 5, 'disability', '为{N}名残疾人提供上门康复服务', 20, 150, '完成{N}户残疾人家庭无障碍改造', 10, 60
                UNION ALL SELECT 6, 'poverty', '对{N}户低收入家庭开展常态化监测帮扶', 20, 200, '困难群众救助资金按月足额发放率达到{N}%', 100, 100
                UNION ALL SELECT 7, 'insurance', '城乡居民医疗保险参保率不低于{N}%', 95, 99, '为{N}名灵活就业人员办理医保参保登记', 100, 600
                UNION ALL SELECT 8, 'housing', '完成{N}户老旧房屋修缮', 50, 500, '公共租赁住房申请办结时间压缩至{N}个工作日', 10, 20
                UNION ALL SELECT 9, 'transport', '新增或优化公交站点{N}处', 2, 12, '完成{N}条背街小巷道路修缮', 3, 15
                UNION ALL SELECT 10, 'parking', '年内新增公共停车泊位{N}个', 100, 600, '建成智慧停车示范点{N}处', 1, 5
                UNION ALL SELECT 11, 'safety', '为辖区{N}户独居老人免费安装烟感报警器', 100, 800, '完成{N}个老旧小区技防设施改造', 3, 20
                UNION ALL SELECT 12, 'military', '走访慰问辖区退役军人及军属{N}户', 100, 600, '退役军人服务站标准化建设达标率{N}%', 100, 100
                UNION ALL SELECT 13, 'services', '政务服务事项“一窗通办”比例达到{N}%', 85, 100, '便民服务中心群众满意率不低于{N}%', 95, 99) AS a
            ON a.k = (s.id * 5 + n.seq) MOD 14
         WHERE s.kind = 'gov' AND s.gtype IN ('street', 'town')
           AND NOT EXISTS (SELECT 1 FROM commitments AS c WHERE c.subject_id = s.id)
           AND n.seq <= 3 + demo_hash('cn', s.id) MOD 3) AS x
 ORDER BY x.subject_id, x.promised_on;

-- ---------------------------------------------------------------------------
-- Clean up and report
-- ---------------------------------------------------------------------------
DROP PROCEDURE IF EXISTS demo_load;
DROP FUNCTION IF EXISTS demo_org_check;
DROP FUNCTION IF EXISTS demo_id_check;
DROP FUNCTION IF EXISTS demo_hash;
DROP TABLE IF EXISTS demo_list, demo_words, demo_district, demo_town, demo_gov, demo_off,
    demo_subj, demo_role, demo_pick, demo_pool, demo_dept, demo_domain, demo_conduct, demo_sanction,
    demo_h, demo_r1, demo_r2, demo_rec, demo_num, demo_rt, demo_ri;
SET SESSION foreign_key_checks = 1;

SELECT '@phase', 'table statistics';
ANALYZE TABLE subjects, records, record_events;

SELECT '@counts',
       (SELECT COUNT(*) FROM departments) AS departments,
       (SELECT COUNT(*) FROM subjects WHERE kind = 'gov') AS gov_subjects,
       (SELECT COUNT(*) FROM subjects WHERE kind = 'official') AS officials,
       (SELECT COUNT(*) FROM records) AS records,
       (SELECT COUNT(*) FROM record_events) AS record_events,
       (SELECT COUNT(*) FROM ratings) AS ratings,
       (SELECT COUNT(*) FROM commitments) AS commitments;
