import { PolicyPack } from "@pulumi/policy";
import { packEnforcementLevel, packName, policies } from "./policies";

// The analyzer entry point: constructing the pack starts its gRPC server, so nothing else happens here.
new PolicyPack(packName, { enforcementLevel: packEnforcementLevel, policies });
