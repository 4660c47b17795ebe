/** Rule cases: network. */
import { Construct } from "constructs";
import { SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule } from "../../../../lib/aws/resources";
import { PLACEHOLDER } from "../../../support/fixtures";
import { RuleCase } from "../policy-helpers";
import { alb, securityGroup, VPC } from "./builders";

/** A described ingress rule of one port from one IPv4 or IPv6 block. */
function ingress(s: Construct, id: string, sg: SecurityGroup, port: number, cidr: string) {
  return new VpcSecurityGroupIngressRule(s, id, {
    securityGroupId: sg.id,
    description: `${id} for tests`,
    ipProtocol: "tcp",
    fromPort: port,
    toPort: port,
    ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
  });
}

export const NETWORK_CASES: readonly RuleCase[] = [
  {
    ruleId: "APF-SG-WORLD-INGRESS",
    build: (s) => {
      const instances = securityGroup(s, "Instances");
      const publicLb = securityGroup(s, "PublicLb");
      const internalLb = securityGroup(s, "InternalLb");
      alb(s, "Public", { securityGroups: [publicLb.id] });
      alb(s, "Internal", { internal: true, securityGroups: [internalLb.id] });
      const world = (id: string, sg: SecurityGroup, port: number) =>
        new VpcSecurityGroupIngressRule(s, id, {
          securityGroupId: sg.id,
          description: `${id} for tests`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: "0.0.0.0/0",
        });
      world("SshFromWorld", instances, 22);
      world("HttpsToInstances", instances, 443);
      world("HttpsToInternalLb", internalLb, 443);
      world("AdminPortToPublicLb", publicLb, 8443);
      world("HttpsToPublicLb", publicLb, 443);
      world("HttpToPublicLb", publicLb, 80);
      new SecurityGroup(s, "InlineWorldIpv6", {
        name: "inline",
        description: "inline rules for tests",
        vpcId: VPC,
        ingress: [{ description: "anything", protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }],
      });
      new VpcSecurityGroupIngressRule(s, "FromLbGroup", {
        securityGroupId: instances.id,
        description: "app port from the load balancer",
        ipProtocol: "tcp",
        fromPort: 80,
        toPort: 80,
        referencedSecurityGroupId: publicLb.id,
      });
    },
    bad: ["SshFromWorld", "HttpsToInstances", "HttpsToInternalLb", "AdminPortToPublicLb", "InlineWorldIpv6"],
    good: ["HttpsToPublicLb", "HttpToPublicLb", "FromLbGroup", "Instances"],
  },
  {
    ruleId: "APF-SG-OPEN-EGRESS",
    build: (s) => {
      const sg = securityGroup(s, "Instances");
      new VpcSecurityGroupEgressRule(s, "AllOut", {
        securityGroupId: sg.id,
        description: "everything",
        ipProtocol: "-1",
        cidrIpv4: "0.0.0.0/0",
      });
      new VpcSecurityGroupEgressRule(s, "AllTcpOut", {
        securityGroupId: sg.id,
        description: "every tcp port",
        ipProtocol: "tcp",
        fromPort: 0,
        toPort: 65535,
        cidrIpv4: "0.0.0.0/0",
      });
      new VpcSecurityGroupEgressRule(s, "HttpsOut", {
        securityGroupId: sg.id,
        description: "https",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      });
      new VpcSecurityGroupEgressRule(s, "AllToVpc", {
        securityGroupId: sg.id,
        description: "inside the VPC",
        ipProtocol: "-1",
        cidrIpv4: "10.0.0.0/16",
      });
    },
    bad: ["AllOut", "AllTcpOut"],
    good: ["HttpsOut", "AllToVpc"],
  },
  {
    ruleId: "APF-SG-DESCRIPTION",
    build: (s) => {
      new SecurityGroup(s, "NoDescription", { name: "nodesc", vpcId: VPC });
      securityGroup(s, "DefaultDescription", "Managed by Terraform");
      const sg = securityGroup(s, "Described");
      new VpcSecurityGroupIngressRule(s, "RuleWithoutDescription", {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: 80,
        toPort: 80,
        referencedSecurityGroupId: PLACEHOLDER.loadBalancer.securityGroupId,
      });
      new VpcSecurityGroupIngressRule(s, "RuleWithDescription", {
        securityGroupId: sg.id,
        description: "app port from the load balancer",
        ipProtocol: "tcp",
        fromPort: 80,
        toPort: 80,
        referencedSecurityGroupId: PLACEHOLDER.loadBalancer.securityGroupId,
      });
    },
    bad: ["NoDescription", "DefaultDescription", "RuleWithoutDescription"],
    good: ["Described", "RuleWithDescription"],
  },
  {
    ruleId: "APF-SG-WORLD-INGRESS",
    title: "the internet split into smaller blocks is still the internet",
    build: (s) => {
      const instances = securityGroup(s, "Instances");
      const publicLb = securityGroup(s, "PublicLb");
      alb(s, "Public", { securityGroups: [publicLb.id] });
      // SSH from two /1 halves, in two rules.
      ingress(s, "SshLowerHalf", instances, 22, "0.0.0.0/1");
      ingress(s, "SshUpperHalf", instances, 22, "128.0.0.0/1");
      // IPv6 from its two halves: the lower one holds all of global unicast (2000::/3), the upper none.
      ingress(s, "Ipv6LowerHalf", instances, 8080, "::/1");
      ingress(s, "Ipv6UpperHalf", instances, 8080, "8000::/1");
      // Two quarters of global unicast on one port are half the IPv6 internet.
      ingress(s, "Ipv6QuarterA", instances, 8081, "2000::/5");
      ingress(s, "Ipv6QuarterB", instances, 8081, "2800::/5");
      // Two quarters on the same port make half the internet...
      ingress(s, "QuarterA", instances, 2224, "0.0.0.0/2");
      ingress(s, "QuarterB", instances, 2224, "64.0.0.0/2");
      // ...but not on different ports, and an office range next to them is no part of the problem.
      ingress(s, "QuarterOnOwnPortA", instances, 3001, "0.0.0.0/2");
      ingress(s, "QuarterOnOwnPortB", instances, 3002, "64.0.0.0/2");
      ingress(s, "OfficeSsh", instances, 22, "203.0.113.0/24");
      // One rule holding both halves.
      new SecurityGroup(s, "InlineHalves", {
        name: "inline-halves",
        description: "inline halves for tests",
        vpcId: VPC,
        ingress: [{ description: "rdp", protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }],
      });
      // A public load balancer may take HTTPS from the internet, split or not.
      ingress(s, "HttpsLowerHalfToLb", publicLb, 443, "0.0.0.0/1");
      ingress(s, "HttpsUpperHalfToLb", publicLb, 443, "128.0.0.0/1");
    },
    bad: ["SshLowerHalf", "SshUpperHalf", "Ipv6LowerHalf", "Ipv6QuarterA", "Ipv6QuarterB", "QuarterA", "QuarterB", "InlineHalves"],
    good: ["Ipv6UpperHalf", "QuarterOnOwnPortA", "QuarterOnOwnPortB", "OfficeSsh", "HttpsLowerHalfToLb", "HttpsUpperHalfToLb"],
  },
  {
    ruleId: "APF-SG-OPEN-EGRESS",
    title: "all traffic out to the internet split into halves",
    build: (s) => {
      const sg = securityGroup(s, "Instances");
      const allOut = (id: string, cidr: string) =>
        new VpcSecurityGroupEgressRule(s, id, { securityGroupId: sg.id, description: `${id} for tests`, ipProtocol: "-1", cidrIpv4: cidr });
      allOut("AllOutLowerHalf", "0.0.0.0/1");
      allOut("AllOutUpperHalf", "128.0.0.0/1");
      allOut("AllToVpc", "10.0.0.0/16");
      new VpcSecurityGroupEgressRule(s, "HttpsToLoadBalancer", {
        securityGroupId: sg.id,
        description: "https to the load balancer's group",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: PLACEHOLDER.loadBalancer.securityGroupId,
      });
    },
    bad: ["AllOutLowerHalf", "AllOutUpperHalf"],
    good: ["AllToVpc", "HttpsToLoadBalancer"],
  },
];
