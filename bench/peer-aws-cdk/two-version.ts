/**
 * The peer users would pick instead: the same two-fleet layout written with AWS CDK (aws-cdk-lib).
 * ALB with an HTTPS listener and an HTTP redirect, a weighted rule and a pinned rule, and per fleet:
 * launch template, Auto Scaling group, target group, alarms, CodeDeploy application and group.
 * No lookups and no account: the VPC comes from `Vpc.fromVpcAttributes` with placeholder IDs.
 *   node --import tsx bench/peer-aws-cdk/two-version.ts      (writes cdk.out, or $CDK_OUTDIR)
 */
import { App, Duration, Stack } from "aws-cdk-lib";
import * as autoscaling from "aws-cdk-lib/aws-autoscaling";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as codedeploy from "aws-cdk-lib/aws-codedeploy";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as iam from "aws-cdk-lib/aws-iam";

const REGION = "ap-northeast-1";
const app = new App();
const stack = new Stack(app, "TwoVersionPeer", { env: { account: "123456789012", region: REGION } });

const vpc = ec2.Vpc.fromVpcAttributes(stack, "Vpc", {
  vpcId: "vpc-0a1b2c3d4e5f60718",
  availabilityZones: [`${REGION}a`, `${REGION}c`],
  publicSubnetIds: ["subnet-0a1b2c3d4e5f60701", "subnet-0a1b2c3d4e5f60702"],
  privateSubnetIds: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
});

const alb = new elbv2.ApplicationLoadBalancer(stack, "Alb", { vpc, internetFacing: true, deletionProtection: true });
alb.addRedirect({ sourcePort: 80, targetPort: 443 });
const https = alb.addListener("Https", {
  port: 443,
  certificates: [
    elbv2.ListenerCertificate.fromArn(`arn:aws:acm:${REGION}:123456789012:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9`),
  ],
  sslPolicy: elbv2.SslPolicy.TLS13_RES,
  defaultAction: elbv2.ListenerAction.fixedResponse(503, { contentType: "text/plain", messageBody: "no route" }),
});

interface Fleet {
  readonly name: string;
  readonly group: autoscaling.AutoScalingGroup;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
}

function fleet(name: string, imageId: string): Fleet {
  const role = new iam.Role(stack, `${name}InstanceRole`, {
    assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")],
  });
  const securityGroup = new ec2.SecurityGroup(stack, `${name}Instances`, { vpc, allowAllOutbound: false });
  securityGroup.addIngressRule(ec2.Peer.securityGroupId(alb.connections.securityGroups[0].securityGroupId), ec2.Port.tcp(80));
  securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
  const launchTemplate = new ec2.LaunchTemplate(stack, `${name}LaunchTemplate`, {
    machineImage: ec2.MachineImage.genericLinux({ [REGION]: imageId }),
    instanceType: new ec2.InstanceType("t3.medium"),
    role,
    securityGroup,
    requireImdsv2: true,
    // CodeDeploy adds its agent install to the user data, so the template must expose some.
    userData: ec2.UserData.forLinux(),
    blockDevices: [{ deviceName: "/dev/xvda", volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }) }],
  });
  const group = new autoscaling.AutoScalingGroup(stack, `${name}Asg`, {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    launchTemplate,
    minCapacity: 2,
    desiredCapacity: 2,
    maxCapacity: 6,
    healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
      gracePeriod: Duration.seconds(300),
      additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
    }),
  });
  const targetGroup = new elbv2.ApplicationTargetGroup(stack, `${name}TargetGroup`, {
    vpc,
    port: 80,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targets: [group],
    deregistrationDelay: Duration.seconds(30),
    healthCheck: { path: "/health", interval: Duration.seconds(15), timeout: Duration.seconds(5), healthyThresholdCount: 3, unhealthyThresholdCount: 3 },
  });
  return { name, group, targetGroup };
}

/** Alarms and CodeDeploy; target group metrics need the group attached to the load balancer first. */
function alarmsAndDeployment({ name, group, targetGroup }: Fleet): void {
  const alarms = [
    new cloudwatch.Alarm(stack, `${name}Target5xx`, {
      metric: targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(1) }),
      threshold: 10,
      evaluationPeriods: 3,
    }),
    new cloudwatch.Alarm(stack, `${name}LatencyP99`, {
      metric: targetGroup.metrics.targetResponseTime({ statistic: "p99", period: Duration.minutes(1) }),
      threshold: 2,
      evaluationPeriods: 3,
    }),
    new cloudwatch.Alarm(stack, `${name}Unhealthy`, {
      metric: targetGroup.metrics.unhealthyHostCount({ period: Duration.minutes(1) }),
      threshold: 1,
      evaluationPeriods: 3,
    }),
  ];
  const application = new codedeploy.ServerApplication(stack, `${name}App`, { applicationName: name });
  new codedeploy.ServerDeploymentGroup(stack, `${name}DeploymentGroup`, {
    application,
    autoScalingGroups: [group],
    loadBalancers: [codedeploy.LoadBalancer.application(targetGroup)],
    deploymentConfig: codedeploy.ServerDeploymentConfig.ONE_AT_A_TIME,
    alarms,
    autoRollback: { failedDeployment: true, deploymentInAlarm: true },
  });
}

const rails3 = fleet("rails3", "ami-0a1b2c3d4e5f60731");
const rails4 = fleet("rails4", "ami-0a1b2c3d4e5f60741");
https.addAction("Default", { action: elbv2.ListenerAction.forward([rails3.targetGroup]) });
https.addAction("HogeFuga", {
  priority: 10,
  conditions: [elbv2.ListenerCondition.pathPatterns(["/hoge", "/hoge/*", "/fuga", "/fuga/*"])],
  action: elbv2.ListenerAction.weightedForward(
    [
      { targetGroup: rails3.targetGroup, weight: 9 },
      { targetGroup: rails4.targetGroup, weight: 1 },
    ],
    { stickinessDuration: Duration.hours(1) },
  ),
});
https.addAction("AdminPiyo", {
  priority: 20,
  conditions: [elbv2.ListenerCondition.pathPatterns(["/admin/piyo*"])],
  action: elbv2.ListenerAction.forward([rails4.targetGroup]),
});
alarmsAndDeployment(rails3);
alarmsAndDeployment(rails4);
app.synth();
