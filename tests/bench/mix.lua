-- wrk script for make bench: every request is a path drawn at random from
-- the file in BENCH_URLS (one path per line), so a run measures the portal
-- under many different URLs, not a cache answering one. Each thread draws
-- with its own seed.
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("BENCH_URLS")) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() * 1000 + id * 7919)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
