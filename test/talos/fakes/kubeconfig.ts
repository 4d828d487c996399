// What apid's MachineService.Kubeconfig sends (Talos v1.13.9, machined's v1alpha1 server): an admin
// kubeconfig in client-go's layout, in a tar with the one file `kubeconfig` (mode 0600), gzipped, in one
// common.Data message. Talos never closes its tar writer, so the archive stops right after the file's
// bytes: no padding to 512, no end-of-archive blocks. Workers refuse with UNIMPLEMENTED.
import { gzipSync } from "zlib";
import * as YAML from "yaml";
import { TestPki } from "./certs";

/** The kubeconfig Talos' GenerateAdmin writes, for cluster `clusterName` at `server`, base64 inline data. */
export function adminKubeconfigYaml(clusterName: string, server: string, pki: TestPki): string {
    const b64 = (text: string) => Buffer.from(text).toString("base64");
    return YAML.stringify({
        apiVersion: "v1",
        clusters: [{ cluster: { "certificate-authority-data": b64(pki.ca.cert), server }, name: clusterName }],
        contexts: [{ context: { cluster: clusterName, namespace: "default", user: `admin@${clusterName}` }, name: `admin@${clusterName}` }],
        "current-context": `admin@${clusterName}`,
        kind: "Config",
        preferences: {},
        users: [
            {
                name: `admin@${clusterName}`,
                user: { "client-certificate-data": b64(pki.client.cert), "client-key-data": b64(pki.client.key) },
            },
        ],
    });
}

function octalField(value: number, width: number): string {
    return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

/** One ustar header for a regular file, checksum filled in. */
export function ustarHeader(name: string, size: number, mode = 0o600): Buffer {
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, "latin1");
    header.write(octalField(mode, 8), 100, "latin1");
    header.write(octalField(0, 8), 108, "latin1");
    header.write(octalField(0, 8), 116, "latin1");
    header.write(octalField(size, 12), 124, "latin1");
    header.write(octalField(Math.floor(Date.now() / 1000), 12), 136, "latin1");
    header.write("0", 156, "latin1");
    header.write("ustar\u000000", 257, "latin1");
    header.fill(0x20, 148, 156);
    const sum = header.reduce((total, b) => total + b, 0);
    header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
    return header;
}

/** The archive as Talos sends it: header, data, nothing after; gzipped. */
export function talosKubeconfigArchive(kubeconfig: string): Buffer {
    const data = Buffer.from(kubeconfig, "utf8");
    return gzipSync(Buffer.concat([ustarHeader("kubeconfig", data.length), data]));
}
