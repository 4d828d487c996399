import { strict as assert } from "assert";
import { gzipSync } from "zlib";
import * as YAML from "yaml";
import { apiAccessFromKubeconfig, fileFromTar, kubeconfigFromTarGz, kubeconfigLimitBytes } from "../../components/talos/api/kubeconfig";
import { makePki, TestPki } from "./fakes/certs";
import { adminKubeconfigYaml, talosKubeconfigArchive, ustarHeader } from "./fakes/kubeconfig";

const pad = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);

describe("admin kubeconfig from Talos' tar.gz", () => {
    let pki: TestPki;
    let yaml: string;
    before(() => {
        pki = makePki();
        yaml = adminKubeconfigYaml("home", "https://172.16.1.49:6443", pki);
    });
    const b64 = (text: string) => Buffer.from(text).toString("base64");

    it("reads the archive as Talos sends it (no padding, no end blocks) into API access through the current context", () => {
        assert.deepEqual(apiAccessFromKubeconfig(kubeconfigFromTarGz(talosKubeconfigArchive(yaml))), {
            host: "https://172.16.1.49:6443",
            caCertificate: b64(pki.ca.cert),
            clientCertificate: b64(pki.client.cert),
            clientKey: b64(pki.client.key),
        });
    });

    it("reads a complete archive too: a directory entry first, padded data, two zero blocks", () => {
        const data = Buffer.from("apiVersion: v1\n");
        const dir = ustarHeader("./", 0);
        dir.write("5", 156, "latin1");
        dir.fill(0x20, 148, 156);
        dir.write(
            `${dir
                .reduce((t, b) => t + b, 0)
                .toString(8)
                .padStart(6, "0")}\0 `,
            148,
            "latin1",
        );
        const other = Buffer.from("not this one");
        const archive = Buffer.concat([
            dir,
            ustarHeader("./README", other.length),
            pad(other),
            ustarHeader("./kubeconfig", data.length),
            pad(data),
            Buffer.alloc(1024),
        ]);
        assert.equal(fileFromTar(archive, "kubeconfig").toString(), "apiVersion: v1\n");
    });

    it("refuses a file over the limit before reading it, and a gzip that unpacks past the limit", () => {
        const header = ustarHeader("kubeconfig", 2048);
        assert.throws(() => fileFromTar(Buffer.concat([header, Buffer.alloc(2048)]), "kubeconfig", 1024), {
            message: "kubeconfig is 2048 bytes, over the 1024-byte limit",
        });
        const bomb = gzipSync(Buffer.alloc(kubeconfigLimitBytes * 4));
        assert.ok(bomb.length < 8192, `the bomb is small compressed (${bomb.length} bytes)`);
        assert.throws(() => kubeconfigFromTarGz(bomb), { message: `the archive unpacks to over ${kubeconfigLimitBytes + 2048} bytes` });
        assert.throws(() => kubeconfigFromTarGz(Buffer.alloc(kubeconfigLimitBytes + 1)), {
            message: `the archive is ${kubeconfigLimitBytes + 1} bytes, over the ${kubeconfigLimitBytes}-byte limit`,
        });
    });

    it("refuses truncated input: a short header, data cut short, a cut gzip stream", () => {
        const data = Buffer.from(yaml);
        const whole = Buffer.concat([ustarHeader("kubeconfig", data.length), data]);
        assert.throws(() => fileFromTar(whole.subarray(0, 300), "kubeconfig"), {
            message: "the archive is not a tar archive holding kubeconfig: Unrecognized archive format",
        });
        assert.throws(() => fileFromTar(whole.subarray(0, 600), "kubeconfig"), {
            message: `kubeconfig is truncated: 88 of ${data.length} bytes`,
        });
        const gz = talosKubeconfigArchive(yaml);
        assert.throws(() => kubeconfigFromTarGz(gz.subarray(0, gz.length - 40)), {
            message: "the archive is not gzip: unexpected end of file",
        });
    });

    it("refuses what is not a tar archive, and an archive without the file", () => {
        const text = Buffer.alloc(512, "a");
        assert.throws(() => fileFromTar(text, "kubeconfig"), {
            message: "the archive is not a tar archive holding kubeconfig: checksum failure",
        });
        const header = ustarHeader("kubeconfig", 4);
        header[0] = "K".charCodeAt(0);
        assert.throws(() => fileFromTar(Buffer.concat([header, Buffer.from("abcd")]), "kubeconfig"), {
            message: "the archive is not a tar archive holding kubeconfig: checksum failure",
        });
        assert.throws(() => fileFromTar(Buffer.concat([ustarHeader("talosconfig", 4), pad(Buffer.from("abcd"))]), "kubeconfig"), {
            message: "the archive holds no file kubeconfig",
        });
        assert.throws(() => kubeconfigFromTarGz(Buffer.from(yaml)), /^Error: the archive is not gzip: incorrect header check$/);
    });

    it("names what a kubeconfig lacks, never quoting a value", () => {
        type Doc = {
            "current-context"?: string;
            users: { name: string; user: Record<string, string> }[];
            clusters: { cluster: { server: string } }[];
        };
        const edit = (change: (doc: Doc) => void) => {
            const doc = YAML.parse(yaml) as Doc;
            change(doc);
            return YAML.stringify(doc);
        };
        assert.throws(() => apiAccessFromKubeconfig(edit((d) => delete d["current-context"])), {
            message: "the kubeconfig has no current-context",
        });
        assert.throws(() => apiAccessFromKubeconfig(edit((d) => (d.users[0].name = "other"))), {
            message: 'the kubeconfig has no users entry "admin@home" with a user',
        });
        assert.throws(
            () =>
                apiAccessFromKubeconfig(
                    edit((d) => {
                        delete d.users[0].user["client-key-data"];
                        d.users[0].user["client-key"] = "/etc/kubernetes/admin.key";
                    }),
                ),
            { message: "the kubeconfig's user has no inline client-key-data" },
        );
        assert.throws(() => apiAccessFromKubeconfig(edit((d) => (d.clusters[0].cluster.server = "http://172.16.1.49:6443"))), {
            message: `the kubeconfig's cluster server "http://172.16.1.49:6443" is not an https:// URL`,
        });
        const key = b64(pki.client.key);
        const broken = yaml.replace(`client-key-data: ${key}`, `client-key-data: ${key}\n  - : [`);
        assert.throws(
            () => apiAccessFromKubeconfig(broken),
            (error: Error) => {
                assert.match(error.message, /^the kubeconfig is not YAML \(line \d+\)$/);
                assert.ok(!error.message.includes(key.slice(0, 40)));
                return true;
            },
        );
    });
});
