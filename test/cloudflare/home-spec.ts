import { PlainSpec, validateConfig } from "../../components/spec";
import { homeValues } from "../harness/home";

// A validated PlainSpec from Pulumi.home.yaml's values, after an optional edit of those values.

const secrets = new Set(["proxmoxApiToken", "proxmoxSshPrivateKey", "cloudflareApiToken", "adguardPassword", "technitiumToken"]);
const withoutPrefix = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k.replace(/^homelab:/, ""), v]));

export type HomeValues = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function homeSpec(edit: (values: HomeValues) => void = () => undefined): PlainSpec {
    const values = homeValues();
    edit(values);
    const result = validateConfig(withoutPrefix(values), secrets);
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.key} ${p.message}`).join("\n"));
    return result.spec;
}

/** The home apps with the first one (my-app, myapp.ragas.cc) moved to the external gateway. */
export const publishFirstApp = (values: HomeValues) => {
    values["homelab:apps"][0].gateway = "external";
};
