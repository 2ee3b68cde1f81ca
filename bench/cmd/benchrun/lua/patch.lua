-- PATCH PREFIX/ID with If-Match, cycling through ids FIRST..LAST split
-- between the threads so that no two requests ever change the same
-- student at once. Every student starts at version 1 and each pass
-- changes its turma, so pass k expects version k. A failed PATCH leaves
-- its student's version behind: later passes over it get 409, which the
-- status counts show. Args: prefix first last threads.
local prefix, lo, span, checked
local i = 0

function init(args)
  prefix = args[1]
  local first, last, threads = tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
  span = math.floor((last - first + 1) / threads)
  lo = first + tid * span
  -- wrk calls request() once on thread 0 to check what it returns, and
  -- never sends that request: it must not count as a pass.
  checked = tid ~= 0
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local pass = math.floor(i / span) + 1
  local id = lo + i % span
  if checked then i = i + 1 else checked = true end
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["If-Match"] = '"' .. pass .. '"'
  return wrk.format("PATCH", prefix .. id, headers, string.format('{"turma":"P%d"}', pass))
end
