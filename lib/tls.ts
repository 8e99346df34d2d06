import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** DH parameters for configs that name a file of them: RFC 7919's ffdhe2048 group, as certbot ships it. */
  dhParams: string;
  /** HOME for the browser: holds .pki/nssdb with the test CA as a trusted root, and nothing else. */
  browserHome: string;
}

/**
 * A test CA and one leaf for every name the run's stacks answer to, made fresh for each run (nothing committed). The CA's key is
 * deleted as soon as the leaf is signed. Chromium trusts exactly this CA through an NSS database in its own
 * HOME, so hostname, chain and expiry are checked for real: no certificate error is ignored.
 */
export async function createTestPki(runDir: string, runId: string, names: readonly string[]): Promise<TestPki> {
  const pki = testPkiPaths(runDir);
  mkdirSync(pki.dir, { recursive: true, mode: 0o700 });
  const f = (name: string) => path.join(pki.dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run("openssl", [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.crt"),
    "-days",
    "2",
    "-subj",
    `/CN=proxylab test CA ${runId}`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await run("openssl", ["req", ...ec, "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", `/CN=${names[0]}`]);
  writeFileSync(
    f("server.ext"),
    [
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(",")}`,
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth",
    ].join("\n"),
  );
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    f("server.csr"),
    "-CA",
    f("ca.crt"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-out",
    f("server.crt"),
    "-days",
    "2",
    "-extfile",
    f("server.ext"),
  ]);
  for (const spent of ["ca.key", "ca.srl", "server.csr", "server.ext"]) rmSync(f(spent), { force: true });

  await run("openssl", [
    "genpkey",
    "-genparam",
    "-algorithm",
    "DH",
    "-pkeyopt",
    "group:ffdhe2048",
    "-out",
    pki.dhParams,
  ]);

  const nssdb = path.join(pki.browserHome, ".pki", "nssdb");
  mkdirSync(nssdb, { recursive: true });
  await run("certutil", ["-N", "-d", `sql:${nssdb}`, "--empty-password"]);
  await run("certutil", [
    "-A",
    "-d",
    `sql:${nssdb}`,
    "-n",
    `proxylab-test-ca-${runId}`,
    "-t",
    "C,,",
    "-i",
    f("ca.crt"),
  ]);
  return pki;
}

export function testPkiPaths(runDir: string): TestPki {
  const tls = path.join(runDir, "tls");
  return {
    dir: tls,
    caCert: path.join(tls, "ca.crt"),
    serverCert: path.join(tls, "server.crt"),
    serverKey: path.join(tls, "server.key"),
    dhParams: path.join(tls, "dhparams.pem"),
    browserHome: path.join(runDir, "browser-home"),
  };
}

/**
 * A CA a proxy creates for itself (Caddy's internal one, for sites it would otherwise get a certificate for from
 * ACME), trusted by the browser the same way as the run's test CA: in the run's NSS database, nothing else.
 */
export function trustProxyCa(pki: TestPki, nickname: string, pemFile: string): Promise<void> {
  // One certutil at a time on the database: stacks start side by side.
  const next = nssWrites.then(() =>
    run("certutil", [
      "-A",
      "-d",
      `sql:${path.join(pki.browserHome, ".pki", "nssdb")}`,
      "-n",
      nickname,
      "-t",
      "C,,",
      "-i",
      pemFile,
    ]),
  );
  nssWrites = next.then(
    () => undefined,
    () => undefined,
  );
  return next.then(() => undefined);
}
let nssWrites: Promise<unknown> = Promise.resolve();
