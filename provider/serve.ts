// The plugin process: our provider behind @pulumi/pulumi's provider server, which prints its port for the engine.
// The engine's address comes as the first argument that is not a flag (the server's own parsing: @pulumi/pulumi
// 3.248.0 provider/internals.js parseArgs). The SDK's logging is pointed at it too, so a warning reaches the
// engine tied to its resource's URN (pkg/host/host_server.go Log: a LogRequest's urn) and shows as that resource's
// warning; without it pulumi.log falls back to the plugin's stderr, which the engine shows as the stack's debug text.
import * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";
import { handlers } from "./handlers";
import { HomelabProvider } from "./provider";
import { engineAddress } from "./serve-args";

const args = process.argv.slice(2);
pulumi.runtime.resetOptions("", "", -1, engineAddress(args) ?? "", "", false, "");
const version = (require("../package.json") as { version: string }).version;
void provider.main(
    new HomelabProvider(version, handlers, (urn, message) => pulumi.log.warn(message, new pulumi.DependencyResource(urn))),
    args,
);
