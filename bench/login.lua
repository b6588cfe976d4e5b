-- POST /auth/login as alice: bcrypt (cost 10) dominates.
wrk.method = "POST"
wrk.body = '{"username":"alice","password":"alice"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = nil
