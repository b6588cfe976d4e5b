-- POST /api/orders with a small amount, so that the customer's credit lasts the whole run.
wrk.method = "POST"
wrk.body = '{"amount":0.01,"description":"bench"}'
wrk.headers["Content-Type"] = "application/json"
