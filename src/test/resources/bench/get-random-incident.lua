-- GET /api/v1/incidents/{id} over ids read from $IDS_FILE (one UUID a line),
-- picked at random so that the benchmark does not read one hot row.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
  ids[#ids + 1] = line
end
math.randomseed(os.time())

request = function()
  return wrk.format("GET", "/api/v1/incidents/" .. ids[math.random(#ids)])
end
