-- GET PREFIX/ID for a random id in [FIRST, LAST]. Args: prefix first last.
local prefix, first, last

function init(args)
  prefix, first, last = args[1], tonumber(args[2]), tonumber(args[3])
  math.randomseed(tid * 7919 + 17)
end

function request()
  return wrk.format("GET", prefix .. math.random(first, last))
end
