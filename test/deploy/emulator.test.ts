/**
 * The emulated AWS the deploy tests run against: moto started by test/support/moto/moto_launcher.py.
 * Each patch of the launcher is checked here on the API call it answers, so a moto upgrade that
 * changes one shows here first, by name, rather than as a puzzling deploy failure.
 */
import { AwsEndpoint, jsonCall, queryCall } from "../support/moto/aws-client";
import { describeWithMoto, DEPLOY_TEST_TIMEOUT_MS } from "../support/moto/deploy-suite";
import { createEmulatedNetwork, EmulatedNetwork } from "../support/moto/emulated-network";
import { MotoServer, startMotoServer } from "../support/moto/moto-server";
import { childText, find, findAll, listOf } from "../support/moto/xml";
import { loadElbV2Sdk } from "../../lib/live/read-live";
import { EMULATED_AWS_CREDENTIALS } from "../../lib/terraform/emulated-aws";

const EC2 = "2016-11-15";
const AUTOSCALING = "2011-01-01";

describeWithMoto("the emulated AWS (moto through moto_launcher.py)", () => {
  let moto: MotoServer;
  let endpoint: AwsEndpoint;
  let network: EmulatedNetwork;
  const codedeploy = (action: string, payload: object) => jsonCall(endpoint, "codedeploy", `CodeDeploy_20141006.${action}`, payload);

  beforeAll(async () => {
    moto = await startMotoServer();
    endpoint = { url: moto.url, region: "ap-northeast-1", ...EMULATED_AWS_CREDENTIALS };
    network = await createEmulatedNetwork(endpoint);
  }, DEPLOY_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await moto?.stop();
  }, DEPLOY_TEST_TIMEOUT_MS);

  test("listens on 127.0.0.1 and holds the network and certificate a configuration needs", async () => {
    expect(new URL(moto.url).hostname).toBe("127.0.0.1");
    expect(network.publicSubnetIds).toHaveLength(3);
    expect(network.privateSubnetIds).toHaveLength(3);
    expect(network.certificateArn).toMatch(/^arn:aws:acm:ap-northeast-1:\d{12}:certificate\//);
  });

  test("refuses to delete a load balancer whose deletion protection is on, as AWS does, and deletes it once off", async () => {
    const sdk = loadElbV2Sdk();
    const client = new sdk.ElasticLoadBalancingV2Client({
      region: endpoint.region,
      endpoint: endpoint.url,
      credentials: { ...EMULATED_AWS_CREDENTIALS },
    });
    try {
      const created = await client.send(new sdk.CreateLoadBalancerCommand({ Name: "protected", Subnets: [...network.publicSubnetIds] }));
      const arn = created.LoadBalancers![0].LoadBalancerArn!;
      const protect = (on: boolean) =>
        client.send(
          new sdk.ModifyLoadBalancerAttributesCommand({
            LoadBalancerArn: arn,
            Attributes: [{ Key: "deletion_protection.enabled", Value: String(on) }],
          }),
        );
      await protect(true);
      await expect(client.send(new sdk.DeleteLoadBalancerCommand({ LoadBalancerArn: arn }))).rejects.toMatchObject({
        message: expect.stringMatching(/cannot be deleted because deletion protection is enabled/),
      });
      await protect(false);
      await client.send(new sdk.DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
      expect((await client.send(new sdk.DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).toEqual([]);
    } finally {
      client.destroy();
    }
  });

  test("a target group is attached to the load balancer while a listener action forwards to it, also after the action is modified", async () => {
    const sdk = loadElbV2Sdk();
    const client = new sdk.ElasticLoadBalancingV2Client({
      region: endpoint.region,
      endpoint: endpoint.url,
      credentials: { ...EMULATED_AWS_CREDENTIALS },
    });
    try {
      const balancer = (await client.send(new sdk.CreateLoadBalancerCommand({ Name: "attach", Subnets: [...network.publicSubnetIds] })))
        .LoadBalancers![0].LoadBalancerArn!;
      const group = async (name: string) =>
        (await client.send(new sdk.CreateTargetGroupCommand({ Name: name, Protocol: "HTTP", Port: 80, VpcId: network.vpcId })))
          .TargetGroups![0].TargetGroupArn!;
      const [main, canary] = [await group("main-tg"), await group("canary-tg")];
      const forward = (groups: string[]) => [
        { Type: "forward" as const, ForwardConfig: { TargetGroups: groups.map((arn) => ({ TargetGroupArn: arn, Weight: 1 })) } },
      ];
      const listener = (
        await client.send(
          new sdk.CreateListenerCommand({ LoadBalancerArn: balancer, Protocol: "HTTP", Port: 80, DefaultActions: forward([main]) }),
        )
      ).Listeners![0].ListenerArn!;
      const attachedTo = async (arn: string) =>
        (await client.send(new sdk.DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }))).TargetGroups![0].LoadBalancerArns ?? [];
      expect(await attachedTo(canary)).toEqual([]);
      await client.send(new sdk.ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forward([main, canary]) }));
      expect(await attachedTo(canary)).toEqual([balancer]);
      await client.send(new sdk.ModifyListenerCommand({ ListenerArn: listener, DefaultActions: forward([main]) }));
      expect(await attachedTo(canary)).toEqual([]);
    } finally {
      client.destroy();
    }
  });

  test("launch templates keep their own tags off the template data; Auto Scaling groups keep lifetime, maintenance policy and inline hooks", async () => {
    const template = await queryCall(endpoint, "ec2", EC2, "CreateLaunchTemplate", {
      LaunchTemplateName: "lt-tags",
      "LaunchTemplateData.ImageId": "ami-0a1b2c3d4e5f60731",
      "TagSpecification.1.ResourceType": "launch-template",
      "TagSpecification.1.Tag.1.Key": "Fleet",
      "TagSpecification.1.Tag.1.Value": "rails4",
    });
    const templateId = childText(find(template, "launchTemplate")!, "launchTemplateId")!;
    const versions = await queryCall(endpoint, "ec2", EC2, "DescribeLaunchTemplateVersions", { LaunchTemplateId: templateId });
    expect(find(find(versions, "launchTemplateData")!, "tagSpecificationSet")).toBeUndefined();

    await queryCall(endpoint, "autoscaling", AUTOSCALING, "CreateAutoScalingGroup", {
      AutoScalingGroupName: "asg-kept",
      "LaunchTemplate.LaunchTemplateId": templateId,
      "LaunchTemplate.Version": "1",
      MinSize: 0,
      MaxSize: 2,
      DesiredCapacity: 0,
      VPCZoneIdentifier: network.privateSubnetIds.join(","),
      MaxInstanceLifetime: 604800,
      "InstanceMaintenancePolicy.MinHealthyPercentage": 100,
      "InstanceMaintenancePolicy.MaxHealthyPercentage": 110,
      "LifecycleHookSpecificationList.member.1.LifecycleHookName": "bootstrap-gate",
      "LifecycleHookSpecificationList.member.1.LifecycleTransition": "autoscaling:EC2_INSTANCE_LAUNCHING",
      "LifecycleHookSpecificationList.member.1.HeartbeatTimeout": 600,
      "LifecycleHookSpecificationList.member.1.DefaultResult": "ABANDON",
    });
    const groups = await queryCall(endpoint, "autoscaling", AUTOSCALING, "DescribeAutoScalingGroups", {
      "AutoScalingGroupNames.member.1": "asg-kept",
    });
    const group = listOf(find(groups, "DescribeAutoScalingGroupsResult")!, "AutoScalingGroups")[0];
    expect(childText(group, "MaxInstanceLifetime")).toBe("604800");
    expect(childText(find(group, "InstanceMaintenancePolicy")!, "MaxHealthyPercentage")).toBe("110");
    const hooks = await queryCall(endpoint, "autoscaling", AUTOSCALING, "DescribeLifecycleHooks", { AutoScalingGroupName: "asg-kept" });
    const hook = findAll(hooks, "member")[0];
    expect([childText(hook, "LifecycleHookName"), childText(hook, "HeartbeatTimeout"), childText(hook, "RoleARN")]).toEqual([
      "bootstrap-gate",
      "600",
      undefined,
    ]);

    await queryCall(endpoint, "autoscaling", AUTOSCALING, "UpdateAutoScalingGroup", {
      AutoScalingGroupName: "asg-kept",
      MaxInstanceLifetime: 86400,
    });
    const updated = await queryCall(endpoint, "autoscaling", AUTOSCALING, "DescribeAutoScalingGroups", {
      "AutoScalingGroupNames.member.1": "asg-kept",
    });
    expect(childText(listOf(find(updated, "DescribeAutoScalingGroupsResult")!, "AutoScalingGroups")[0], "MaxInstanceLifetime")).toBe(
      "86400",
    );
  });

  test("a security-group rule that references a group keeps its description", async () => {
    const group = async (name: string) =>
      childText(
        await queryCall(endpoint, "ec2", EC2, "CreateSecurityGroup", { GroupName: name, GroupDescription: name, VpcId: network.vpcId }),
        "groupId",
      )!;
    const [app, balancer] = [await group("app"), await group("balancer")];
    await queryCall(endpoint, "ec2", EC2, "AuthorizeSecurityGroupIngress", {
      GroupId: app,
      "IpPermissions.1.IpProtocol": "tcp",
      "IpPermissions.1.FromPort": 80,
      "IpPermissions.1.ToPort": 80,
      "IpPermissions.1.Groups.1.GroupId": balancer,
      "IpPermissions.1.Groups.1.Description": "App port 80 from the load balancer",
    });
    const rules = await queryCall(endpoint, "ec2", EC2, "DescribeSecurityGroupRules", {
      "Filter.1.Name": "group-id",
      "Filter.1.Value.1": app,
    });
    const ingress = findAll(rules, "item").filter((r) => childText(r, "isEgress") === "false");
    expect(ingress.map((r) => childText(r, "description"))).toEqual(["App port 80 from the load balancer"]);
  });

  test("CodeDeploy answers with epoch timestamps, {name, hook} groups and the stored alarms, and updates and deletes", async () => {
    await codedeploy("CreateApplication", { applicationName: "app", computePlatform: "Server" });
    const application = await codedeploy("GetApplication", { applicationName: "app" });
    expect(typeof application.application.createTime).toBe("number");

    const alarms = { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: "app-5xx" }] };
    await codedeploy("CreateDeploymentGroup", {
      applicationName: "app",
      deploymentGroupName: "group",
      serviceRoleArn: "arn:aws:iam::123456789012:role/codedeploy",
      autoScalingGroups: ["asg-kept"],
      alarmConfiguration: alarms,
    });
    const created = (await codedeploy("GetDeploymentGroup", { applicationName: "app", deploymentGroupName: "group" })).deploymentGroupInfo;
    expect(created.autoScalingGroups).toEqual([{ name: "asg-kept", hook: expect.any(String) }]);
    expect(created.alarmConfiguration).toEqual(alarms);

    await codedeploy("UpdateDeploymentGroup", {
      applicationName: "app",
      currentDeploymentGroupName: "group",
      autoScalingGroups: ["asg-kept", "asg-canary"],
    });
    const updated = (await codedeploy("GetDeploymentGroup", { applicationName: "app", deploymentGroupName: "group" })).deploymentGroupInfo;
    expect(updated.autoScalingGroups.map((g: { name: string }) => g.name)).toEqual(["asg-kept", "asg-canary"]);

    await codedeploy("DeleteDeploymentGroup", { applicationName: "app", deploymentGroupName: "group" });
    await codedeploy("DeleteApplication", { applicationName: "app" });
    expect((await codedeploy("ListApplications", {})).applications).toEqual([]);
  });

  test("stops by its own PID", async () => {
    const pid = moto.pid;
    await moto.stop();
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});
