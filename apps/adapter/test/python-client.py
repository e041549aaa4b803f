"""Drive the server with the official Python openai client; print one JSON object of what came back.

Usage: python3 python-client.py BASE_URL  (BASE_URL ends in /v1). The TypeScript test asserts on
the output; this script only calls and records.
"""
import json
import sys
import uuid

import openai
from openai import OpenAI

client = OpenAI(base_url=sys.argv[1], api_key="unused", max_retries=0)
model = "gyrosi-baby"
prompt = "the software is provided as is, without warranty of any kind"


def chat(**kw):
    return client.chat.completions.create(model=model, user=f"py-{uuid.uuid4().hex[:12]}", max_tokens=40,
                                          messages=[{"role": "user", "content": prompt}], **kw)


out = {"version": openai.__version__}
out["greedy"] = [chat(temperature=0).choices[0].message.content for _ in range(2)]
whole = out["greedy"][0]
stop = whole[len(whole) // 2 - 1: len(whole) // 2 + 1]
r = chat(temperature=0, stop=[stop])
out["stop"] = {"whole": whole, "stop": stop, "text": r.choices[0].message.content, "finish": r.choices[0].finish_reason}
r = chat(temperature=1, logprobs=True, top_logprobs=3)
out["logprobs"] = {"completion_tokens": r.usage.completion_tokens,
                   "content": [{"token": t.token, "logprob": t.logprob, "top": [a.logprob for a in t.top_logprobs]} for t in r.choices[0].logprobs.content]}
c = client.completions.create(model=model, prompt=prompt, max_tokens=8, user=f"py-{uuid.uuid4().hex[:12]}")
out["completion"] = {"object": c.object, "text": c.choices[0].text, "finish": c.choices[0].finish_reason, "completion_tokens": c.usage.completion_tokens}
try:
    chat(tools=[{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object", "properties": {}}}}])
    out["tools"] = {"status": 200}
except openai.BadRequestError as e:
    out["tools"] = {"status": e.status_code, "code": e.code, "param": e.param}
print(json.dumps(out))
