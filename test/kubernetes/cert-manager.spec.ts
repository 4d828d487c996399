import { strict as assert } from "assert";
import * as fs from "fs";
import * as YAML from "yaml";
import {
    certManagerPlan,
    certManagerValues,
    cloudflareTokenSecret,
    clusterIssuerManifest,
    wildcardCertificateManifest,
    wildcardCertificateName,
    wildcardTlsSecretName,
} from "../../components/kubernetes/plan/cert-manager";
import * as versions from "../../components/versions";
import { referenceFile } from "../harness/reference";
import { Validate, crdValidator, valuesValidator } from "../harness/schemas";
import { homeSpec } from "../harness/home";

const reference = `cert-manager/${versions.certManager.version}`;

/**
 * The controller configuration example values.yaml gives as a comment above `config: {}`, uncommented and
 * parsed: the chart's schema leaves `config` open, so this is where a misspelt controller key shows.
 */
function documentedControllerConfig(valuesYaml: string): Record<string, unknown> {
    const lines = valuesYaml.split("\n");
    const end = lines.indexOf("config: {}");
    const start = lines.lastIndexOf("#  config:", end);
    assert.ok(start >= 0 && end > start, "values.yaml no longer documents the controller config above `config: {}`");
    const body = lines.slice(start + 1, end).map((line) => line.replace(/^#/, ""));
    return YAML.parse(body.join("\n"));
}

/** Dotted paths of every leaf of an object. */
function leafPaths(value: unknown, prefix = ""): string[] {
    if (!value || typeof value !== "object" || Array.isArray(value)) return [prefix];
    return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
}

function hasPath(value: unknown, path: string): boolean {
    return path.split(".").every((key) => {
        if (!value || typeof value !== "object" || !(key in value)) return false;
        value = (value as Record<string, unknown>)[key];
        return true;
    });
}

describe("cert-manager values", () => {
    const spec = homeSpec();
    const plan = certManagerPlan(spec);
    const values = certManagerValues(plan);
    let chartSchema: Validate;

    before(function () {
        chartSchema = valuesValidator(`${reference}/values.schema.json`, this);
    });

    it("plans from the home spec: ragas.cc, letsencrypt-production, no ACME e-mail, 4 nodes", () => {
        assert.deepEqual(plan, { domain: "ragas.cc", issuer: "letsencrypt-production", nodeCount: 4 });
    });

    it("is exactly the values the network plan needs", () => {
        assert.deepEqual(values, {
            crds: { enabled: true },
            replicaCount: 2,
            dns01RecursiveNameservers: "https://1.1.1.1:443/dns-query,https://1.0.0.1:443/dns-query",
            dns01RecursiveNameserversOnly: true,
            config: {
                apiVersion: "controller.config.cert-manager.io/v1alpha1",
                kind: "ControllerConfiguration",
                gatewayAPI: { enabled: true },
            },
        });
    });

    it("passes the chart's closed values.schema.json", () => {
        assert.deepEqual(chartSchema(values), []);
    });

    it("has a schema check that can fail: a misspelt key, nested or top-level, and a wrong type", () => {
        assert.deepEqual(chartSchema({ ...values, crds: { enable: true } }), ["/crds must NOT have additional properties 'enable'"]);
        assert.deepEqual(chartSchema({ ...values, enableGatewayAPI: true }), ["/ must NOT have additional properties 'enableGatewayAPI'"]);
        assert.deepEqual(chartSchema({ ...values, dns01RecursiveNameservers: ["https://1.1.1.1:443/dns-query"] }), [
            "/dns01RecursiveNameservers must be string",
        ]);
    });

    it("sets only controller config keys that values.yaml documents for v1.21, Gateway API under gatewayAPI.enabled", function () {
        const documented = documentedControllerConfig(fs.readFileSync(referenceFile(`${reference}/values.yaml`, this), "utf8"));
        assert.deepEqual(
            leafPaths(values.config).filter((path) => !hasPath(documented, path)),
            [],
        );
        assert.equal(hasPath(documented, "gatewayAPI.enabled"), true);
        assert.equal(
            hasPath(documented, "enableGatewayAPI"),
            false,
            "v1.21 documents gatewayAPI.enabled, not the deprecated enableGatewayAPI",
        );
        assert.equal(documented.apiVersion, values.config.apiVersion);
    });

    it("runs one controller on a single-node cluster", () => {
        const single = certManagerPlan(homeSpec((v) => (v["homelab:nodes"] = v["homelab:nodes"].slice(0, 1))));
        assert.equal(single.nodeCount, 1);
        assert.equal(certManagerValues(single).replicaCount, 1);
    });
});

describe("cert-manager ClusterIssuer", () => {
    const plan = certManagerPlan(homeSpec());
    const issuer = clusterIssuerManifest(plan);
    let issuerSchema: Validate;

    before(function () {
        issuerSchema = crdValidator(`${reference}/crds/cert-manager.io_clusterissuers.yaml`, "v1", this);
    });

    it("is Let's Encrypt production with DNS-01 through Cloudflare for ragas.cc only, without an e-mail", () => {
        assert.deepEqual(issuer, {
            apiVersion: "cert-manager.io/v1",
            kind: "ClusterIssuer",
            metadata: { name: "letsencrypt-production" },
            spec: {
                acme: {
                    server: "https://acme-v02.api.letsencrypt.org/directory",
                    privateKeySecretRef: { name: "letsencrypt-production" },
                    solvers: [
                        {
                            dns01: { cloudflare: { apiTokenSecretRef: { name: "cloudflare-api-token", key: "api-token" } } },
                            selector: { dnsZones: ["ragas.cc"] },
                        },
                    ],
                },
            },
        });
    });

    it("is a valid cert-manager.io/v1 ClusterIssuer, with and without an e-mail", () => {
        assert.deepEqual(issuerSchema(issuer), []);
        const withEmail = clusterIssuerManifest(certManagerPlan(homeSpec((v) => (v["homelab:certificates"].acmeEmail = "admin@ragas.cc"))));
        assert.equal(withEmail.spec.acme.email, "admin@ragas.cc");
        assert.deepEqual(issuerSchema(withEmail), []);
    });

    it("has a CRD check that can fail", () => {
        const solver = issuer.spec.acme.solvers[0];
        const misspelt = {
            ...issuer,
            spec: { acme: { ...issuer.spec.acme, solvers: [{ ...solver, dns01: { cloudflare: { apiToken: { name: "x", key: "y" } } } }] } },
        };
        assert.deepEqual(issuerSchema(misspelt), ["/spec/acme/solvers/0/dns01/cloudflare must NOT have additional properties 'apiToken'"]);
        const { server: _server, ...noServer } = issuer.spec.acme; // eslint-disable-line @typescript-eslint/no-unused-vars
        assert.deepEqual(issuerSchema({ ...issuer, spec: { acme: noServer } }), ["/spec/acme must have required property 'server'"]);
    });

    it("names the issuer from homelab:certificates.issuer and refers to the token Secret the component creates", () => {
        const renamed = clusterIssuerManifest(certManagerPlan(homeSpec((v) => (v["homelab:certificates"].issuer = "le-prod"))));
        assert.equal(renamed.metadata.name, "le-prod");
        assert.deepEqual(renamed.spec.acme.privateKeySecretRef, { name: "le-prod" });
        assert.deepEqual(cloudflareTokenSecret, { name: "cloudflare-api-token", key: "api-token" });
    });
});

describe("wildcard Certificate", () => {
    const plan = certManagerPlan(homeSpec());
    const certificate = wildcardCertificateManifest(plan, "network");
    let certificateSchema: Validate;

    before(function () {
        certificateSchema = crdValidator(`${reference}/crds/cert-manager.io_certificates.yaml`, "v1", this);
    });

    it("is the spec's Certificate wildcard-ragas-cc, field for field", () => {
        assert.deepEqual(certificate, {
            apiVersion: "cert-manager.io/v1",
            kind: "Certificate",
            metadata: { name: "wildcard-ragas-cc", namespace: "network" },
            spec: {
                secretName: "wildcard-ragas-cc-tls",
                issuerRef: { name: "letsencrypt-production", kind: "ClusterIssuer" },
                dnsNames: ["*.ragas.cc", "ragas.cc"],
            },
        });
    });

    it("is a valid cert-manager.io/v1 Certificate", () => {
        assert.deepEqual(certificateSchema(certificate), []);
    });

    it("has a CRD check that can fail", () => {
        assert.deepEqual(certificateSchema({ ...certificate, spec: { ...certificate.spec, dnsName: ["ragas.cc"] } }), [
            "/spec must NOT have additional properties 'dnsName'",
        ]);
        const { secretName: _secretName, ...noSecret } = certificate.spec; // eslint-disable-line @typescript-eslint/no-unused-vars
        assert.deepEqual(certificateSchema({ ...certificate, spec: noSecret }), ["/spec must have required property 'secretName'"]);
    });

    it("is issued by the ClusterIssuer of the same plan", () => {
        const issuer = clusterIssuerManifest(plan);
        assert.deepEqual(certificate.spec.issuerRef, { name: issuer.metadata.name, kind: issuer.kind });
    });

    it("derives its names from the domain, every dot a dash", () => {
        assert.equal(wildcardCertificateName("ragas.cc"), "wildcard-ragas-cc");
        assert.equal(wildcardTlsSecretName("ragas.cc"), "wildcard-ragas-cc-tls");
        assert.equal(wildcardTlsSecretName("home.example.co.uk"), "wildcard-home-example-co-uk-tls");
        const other = wildcardCertificateManifest(certManagerPlan(homeSpec((v) => (v["homelab:domain"] = "example.org"))), "edge");
        assert.deepEqual(
            [other.metadata, other.spec.secretName, other.spec.dnsNames],
            [{ name: "wildcard-example-org", namespace: "edge" }, "wildcard-example-org-tls", ["*.example.org", "example.org"]],
        );
    });
});
