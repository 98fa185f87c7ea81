-- wrk script for make bench: each request submits a new complaint with its
-- own form token (read from the file in BENCH_TOKENS, one per line), so that
-- every request is a real INSERT and none is a replay.
local tokens = {}
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local all = {}
  for line in io.lines(os.getenv("BENCH_TOKENS")) do all[#all + 1] = line end
  local n = tonumber(os.getenv("BENCH_THREADS") or "2")
  for i = id + 1, #all, n do tokens[#tokens + 1] = all[i] end
  next_token = 1
end

local function enc(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local body_tail = "&target=" .. enc("天津市某区财政局") .. "&district=heping&domain=procurement"
  .. "&title=" .. enc("拖欠工程款长期不支付")
  .. "&content=" .. enc("该局于2025年3月签订工程合同，验收合格后长期拖欠我公司工程款，经多次书面催告仍未支付，请求依法处理。")

function request()
  local t = tokens[next_token]
  next_token = next_token + 1
  if t == nil then t = tokens[1] end -- out of tokens: replays (counted apart by bench.sh)
  return wrk.format("POST", wrk.path, {["Content-Type"] = "application/x-www-form-urlencoded"},
                    "token=" .. enc(t) .. body_tail)
end
