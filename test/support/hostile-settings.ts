/**
 * Hostile values for the settings every part reads with the same rule (shared/): the handler's
 * config (CORS_ALLOW_ORIGIN, CACHE_CONTROL), `npm start`, and synth (`corsAllowOrigins`). Each is
 * refused with exactly this problem; the tables are shared so the three cannot disagree.
 */

const LONG_HOST = 'a'.repeat(5000);

/** One origin each, and the problem it is refused with. */
export const HOSTILE_ORIGINS: readonly { readonly origin: string; readonly problem: string }[] = [
  // Ports browsers can never send
  { origin: 'https://a.com:0', problem: '"https://a.com:0" has port 0, which no page can be served from' },
  { origin: 'https://a.com:65536', problem: '"https://a.com:65536" has port 65536, above 65535, the highest port' },
  { origin: 'https://a.com:99999', problem: '"https://a.com:99999" has port 99999, above 65535, the highest port' },
  { origin: 'https://a.com:0443', problem: '"https://a.com:0443" has the port 0443 with a leading zero; browsers write it 443' },
  { origin: 'http://a.com:08080', problem: '"http://a.com:08080" has the port 08080 with a leading zero; browsers write it 8080' },
  { origin: 'https://a.com:443', problem: `"https://a.com:443" names its scheme's default port 443, which browsers leave out of Origin; remove ":443"` },
  { origin: 'http://a.com:80', problem: `"http://a.com:80" names its scheme's default port 80, which browsers leave out of Origin; remove ":80"` },
  { origin: 'https://a.com:', problem: '"https://a.com:" ends with ":" but names no port' },
  { origin: 'https://a.com:+80', problem: '"https://a.com:+80" has the port "+80", which is not a number from 1 to 65535' },
  // Hosts a browser rewrites
  { origin: 'https://01.2.3.4', problem: '"https://01.2.3.4" is not how browsers write this origin: they send "https://1.2.3.4", so it would never match; write that' },
  { origin: 'https://0x7f.1', problem: '"https://0x7f.1" is not how browsers write this origin: they send "https://127.0.0.1", so it would never match; write that' },
  { origin: 'https://2130706433', problem: '"https://2130706433" is not how browsers write this origin: they send "https://127.0.0.1", so it would never match; write that' },
  { origin: 'http://[0:0::1]:3000', problem: '"http://[0:0::1]:3000" is not how browsers write this origin: they send "http://[::1]:3000", so it would never match; write that' },
  { origin: 'https://App.Example.com', problem: '"https://App.Example.com" is not how browsers write this origin: they send "https://app.example.com", so it would never match; write that' },
  { origin: 'HTTPS://a.com', problem: '"HTTPS://a.com" is not how browsers write this origin: they send "https://a.com", so it would never match; write that' },
  { origin: 'https://%61.com', problem: '"https://%61.com" is not how browsers write this origin: they send "https://a.com", so it would never match; write that' },
  { origin: 'https://bücher.example', problem: '"https://bücher.example" has a non-ASCII host, which browsers send in punycode: write "https://xn--bcher-kva.example"' },
  // Hosts that are not DNS names
  { origin: 'https://.', problem: '"https://." has an empty label in its host (a dot at the start or end, or two in a row)' },
  { origin: 'https://a..b', problem: '"https://a..b" has an empty label in its host (a dot at the start or end, or two in a row)' },
  { origin: 'https://app.example.com.', problem: '"https://app.example.com." has an empty label in its host (a dot at the start or end, or two in a row)' },
  { origin: `https://${LONG_HOST}.com`, problem: `"https://${'a'.repeat(52)}…" has a host of 5004 characters; DNS allows 253` },
  { origin: `https://${'a'.repeat(64)}.com`, problem: `"https://${'a'.repeat(64)}.com" has a host label of 64 characters; DNS allows 63` },
  { origin: 'https://a!b.com', problem: '"https://a!b.com" has a host that is not a DNS name (letters, digits, "-" and "_" only)' },
  { origin: 'https://999.1.1.1', problem: '"https://999.1.1.1" does not have a valid host: "999.1.1.1" is neither a host name nor an IP address' },
  { origin: 'https://app\u202e.example.com', problem: '"https://app\\u202e.example.com" does not have a valid host: "app\\u202e.example.com" is neither a host name nor an IP address' },
  { origin: 'https://a b.com', problem: '"https://a b.com" does not have a valid host: "a b.com" is neither a host name nor an IP address' },
  { origin: 'https://xn--a.com', problem: '"https://xn--a.com" does not have a valid host: "xn--a.com" is neither a host name nor an IP address' },
  { origin: 'https://*.example.com', problem: '"https://*.example.com" is not a pattern: browsers compare origins exactly, so list each origin (or "*" alone for any)' },
  // Not origins at all
  { origin: 'https://a.com/', problem: '"https://a.com/" has a path, query or fragment ("/"); an origin is scheme, host and port only, with no trailing slash' },
  { origin: 'https://a.com/app', problem: '"https://a.com/app" has a path, query or fragment ("/app"); an origin is scheme, host and port only, with no trailing slash' },
  { origin: 'https://a.com?x', problem: '"https://a.com?x" has a path, query or fragment ("?x"); an origin is scheme, host and port only, with no trailing slash' },
  { origin: 'https://user@a.com', problem: '"https://user@a.com" has a user name; an origin has none' },
  { origin: 'app.example.com', problem: '"app.example.com" is not an origin such as https://app.example.com (scheme, host and optional port)' },
  { origin: 'ftp://a.com', problem: '"ftp://a.com" must use http or https' },
  { origin: 'file:///etc', problem: '"file:///etc" must use http or https' },
  { origin: 'https://', problem: '"https://" has no host' },
  { origin: 'null', problem: '"null" is the origin of sandboxed frames and file:// pages: allowing it would let any such page read the API' },
] as const; // biome-ignore format: table rows

/** Origins browsers do send, accepted as they are. */
export const REAL_ORIGINS = [
  'https://app.example.com',
  'http://localhost:5173',
  'http://127.0.0.1:8080',
  'http://[::1]:3000',
  'https://xn--bcher-kva.example',
  'https://a_b.example.com',
  'https://a.com:8443',
] as const;

/** CACHE_CONTROL values, each refused with this problem. */
export const HOSTILE_CACHE_CONTROLS: readonly { readonly value: string; readonly problem: string }[] = [
  { value: 'max-age=abc', problem: 'max-age=abc: the value must be a whole number of seconds (digits only)' },
  { value: 'max-age=-1', problem: 'max-age=-1: the value must be a whole number of seconds (digits only)' },
  { value: 'max-age=1.5', problem: 'max-age=1.5: the value must be a whole number of seconds (digits only)' },
  { value: 'max-age="5"', problem: 'max-age takes its seconds unquoted (RFC 9111 §5.2.2.1): max-age=5, not max-age="5"' },
  { value: 'max-age', problem: 'max-age needs a number of seconds, as in max-age=60' },
  { value: 'max-age=31536001', problem: 'max-age must be a whole number of seconds from 0 to 31536000 (one year), got 31536001' },
  { value: 's-maxage=99999999999999999999', problem: 's-maxage must be a whole number of seconds from 0 to 31536000 (one year), got 100000000000000000000' },
  { value: 'no-cache, no-store, max-age=5', problem: 'no-store with max-age: no-store forbids caches to keep the response, so max-age would never apply; no-cache with max-age: no-cache makes caches revalidate before every use, so max-age would never apply' },
  { value: 'no-store, public', problem: 'no-store with public: no-store forbids caches to keep the response, so public would never apply' },
  { value: 'no-cache, immutable', problem: 'no-cache with immutable: no-cache makes caches revalidate before every use, so immutable would never apply' },
  { value: 'public, private', problem: 'public with private: they contradict each other' },
  { value: 'private, s-maxage=60', problem: 'private with s-maxage: private keeps shared caches, the only ones s-maxage is for, from storing it, so s-maxage would never apply' },
  { value: 'max-age=60, must-revalidate, stale-if-error=300', problem: 'must-revalidate with stale-if-error: must-revalidate forbids serving it stale, so stale-if-error would never apply' },
  { value: 'max-age=5, max-age=60', problem: 'names max-age twice; caches may take either, or treat the response as stale' },
  { value: 'max_age=60', problem: 'max_age is not a response directive caches know (RFC 9111 §5.2.2, RFC 5861, RFC 8246), so they would ignore it' },
  { value: 'only-if-cached', problem: 'only-if-cached is a request directive; a response cannot use it' },
  { value: 'no-store=1', problem: 'no-store takes no value' },
  { value: 'no-cache=Set-Cookie', problem: 'no-cache takes its field names quoted, as in no-cache="Set-Cookie"' },
  { value: 'private="a b"', problem: 'private="a b" must list field names separated by commas, as in private="Set-Cookie, X-Id"' },
  { value: 'x'.repeat(5000), problem: 'is 5000 characters long; a Cache-Control policy needs at most 256' },
  { value: 'max-age=60\r\nSet-Cookie: x', problem: 'must be a single line' },
  { value: 'max-age=60,', problem: '"max-age=60," is not a list of directives such as "max-age=60, stale-while-revalidate=30" or "no-cache" (tokens, each optionally =token or ="quoted", separated by commas): it ends after a comma' },
  { value: 'max-age=60;private', problem: '"max-age=60;private" is not a list of directives such as "max-age=60, stale-while-revalidate=30" or "no-cache" (tokens, each optionally =token or ="quoted", separated by commas): unexpected ";" at character 11' },
  { value: 'max-age=é', problem: '"max-age=é" is not a list of directives such as "max-age=60, stale-while-revalidate=30" or "no-cache" (tokens, each optionally =token or ="quoted", separated by commas): unexpected "=" at character 8' },
] as const; // biome-ignore format: table rows

/** CACHE_CONTROL values caches understand as written. */
export const REAL_CACHE_CONTROLS = [
  'no-cache',
  'no-store',
  'max-age=60',
  'Max-Age=60',
  'public, max-age=31536000, immutable',
  'max-age=60, stale-while-revalidate=600, stale-if-error=86400',
  'private="Set-Cookie, X-Id"',
  'no-cache="Set-Cookie", max-age=60',
  'no-store, no-cache, must-revalidate, max-age=0',
  's-maxage=300, max-age=0',
] as const;
