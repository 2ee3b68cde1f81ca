-- POST /login with a fixed form body (args[1]); the session cookie and
-- the CSRF token it holds come as -H headers.
function init(args)
  wrk.method = "POST"
  wrk.body = args[1]
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
