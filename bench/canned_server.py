"""A server that answers every request with stored bytes, to time the SDK client alone (bench_sdk.py).

Serve with `uvicorn bench.canned_server:app`; CANNED_RESPONSES names a JSON file mapping an HTTP method to
[status, body text]: the responses our server gave to the same calls, so the SDK parses the same bytes.
The request body is read in full and dropped. Nothing here touches Django or a database.
"""

import json
import os

with open(os.environ["CANNED_RESPONSES"]) as source:
    RESPONSES = {method: (status, body.encode()) for method, (status, body) in json.load(source).items()}


async def app(scope, receive, send):
    """ASGI 3 app: the stored response for the request's method (404 with an empty body for any other)."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    status, body = RESPONSES.get(scope["method"], (404, b"{}"))
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
