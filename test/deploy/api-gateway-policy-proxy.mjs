// Stands in for one thing moto does not do as AWS does: API Gateway returns a REST API's resource
// policy as an escaped JSON string (`{\"Version\":\"2012-10-17\",...}` once the response is
// decoded), and the hashicorp/aws provider unescapes it on every read (flattenAPIPolicy in
// internal/service/apigateway/rest_api.go: "The API returns policy as an escaped JSON string").
// moto 5.2.1 returns the policy as plain JSON, which the provider cannot read back, so no API with
// a resource policy could be refreshed. This proxy sits between Terraform and moto for API Gateway
// calls only (AWS_ENDPOINT_URL_API_GATEWAY) and escapes the `policy` field of its answers, nothing
// else. Run as its own process: the tests run Terraform synchronously, which would block a proxy
// living in the test's own event loop.
//
// usage: node api-gateway-policy-proxy.mjs <moto endpoint> <port file>
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [target, portFile] = process.argv.slice(2);

/** `{"a":1}` as AWS sends it: the same text with its quotes and backslashes escaped. */
const escaped = (policy) => JSON.stringify(policy).slice(1, -1);

function rewrite(body) {
  let json;
  try {
    json = JSON.parse(body);
  } catch {
    return body;
  }
  const fix = (api) => {
    if (api && typeof api.policy === 'string' && api.policy.startsWith('{')) api.policy = escaped(api.policy);
  };
  fix(json);
  for (const item of json?.item ?? json?.items ?? []) fix(item);
  return JSON.stringify(json);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const headers = { ...req.headers };
      delete headers.host;
      delete headers['content-length'];
      const hasBody = !['GET', 'HEAD'].includes(req.method ?? 'GET');
      const answer = await fetch(new URL(req.url ?? '/', target), {
        method: req.method,
        headers,
        body: hasBody ? Buffer.concat(chunks) : undefined,
      });
      const text = await answer.text();
      const body = /^\/restapis/.test(req.url ?? '') ? rewrite(text) : text;
      const out = Object.fromEntries(
        [...answer.headers].filter(
          ([name]) => !['content-length', 'content-encoding', 'transfer-encoding'].includes(name),
        ),
      );
      res.writeHead(answer.status, { ...out, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
});
server.listen(0, '127.0.0.1', () => writeFileSync(portFile, String(server.address().port)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
