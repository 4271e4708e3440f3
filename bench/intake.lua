-- wrk script for bench/cases_intake.py: POST a different 12345 order on every request.
-- Arguments (after --): the templates file (one JSON body per line, "__ID__" where the 工单编号 goes),
-- a prefix for the 工单编号, and the bearer token.
local templates = {}
local counter = 0
local prefix = ""
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  for line in io.lines(args[1]) do
    templates[#templates + 1] = line
  end
  prefix = args[2] .. tid .. "-"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. args[3]
end

function request()
  counter = counter + 1
  local body = (templates[(counter % #templates) + 1]:gsub("__ID__", prefix .. counter, 1))
  return wrk.format(nil, nil, nil, body)
end
