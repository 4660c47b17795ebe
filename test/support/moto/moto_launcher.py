"""
Starts moto's server (the AWS API emulator, moto 5.2.x) on 127.0.0.1 for the deploy tests, with
patches for the gaps this library's stacks meet, applied in this process only.

Usage: python moto_launcher.py [--port N]   (0, the default, picks a free port)
Prints "moto listening on 127.0.0.1:<port>" once the socket accepts connections, then serves
until SIGTERM/SIGINT, or until its parent process is gone (so a killed test run leaves nothing).

Every patch names the moto file whose behaviour it answers and what AWS does instead. Patches
make moto store and return what the real API stores and returns; none of them relaxes a check
the stacks rely on. One adds a check AWS makes and moto lacks (deletion protection).
"""

import argparse
import datetime
import os
import sys
import threading

LAUNCHER_VERSION = "moto 5.2 patches, 3"


def _epoch(value):
    """An ISO-8601 timestamp as epoch seconds, as the JSON protocols of AWS carry timestamps."""
    if isinstance(value, (int, float)):
        return value
    text = str(value).replace("Z", "+00:00")
    return datetime.datetime.fromisoformat(text).timestamp()


# ---------------------------------------------------------------- CodeDeploy
def patch_codedeploy():
    from moto.codedeploy import models, responses

    # moto/codedeploy/models.py Application.to_dict returns createTime as an ISO string; the API
    # (and the Go SDK the provider uses) carry it as epoch seconds, so the provider fails to read it.
    original_app_to_dict = models.Application.to_dict

    def app_to_dict(self):
        d = original_app_to_dict(self)
        d["createTime"] = _epoch(d["createTime"])
        return d

    models.Application.to_dict = app_to_dict

    # moto/codedeploy/models.py DeploymentGroup.to_dict returns autoScalingGroups as names and
    # alarmConfiguration as {} ("TODO"); the API returns [{name, hook}] objects and the stored
    # alarm configuration. The provider reads both back and would plan changes forever.
    original_dg_to_dict = models.DeploymentGroup.to_dict

    def dg_to_dict(self):
        d = original_dg_to_dict(self)
        d["autoScalingGroups"] = [
            g if isinstance(g, dict) else {"name": g, "hook": f"CodeDeploy-managed-automatic-launch-deployment-hook-{self.deployment_group_name}"}
            for g in self.auto_scaling_groups
        ]
        d["alarmConfiguration"] = self.alarm_configuration or {"enabled": False, "ignorePollAlarmFailure": False, "alarms": []}
        return d

    models.DeploymentGroup.to_dict = dg_to_dict

    def dg_arn(backend, application_name, group_name):
        return f"arn:aws:codedeploy:{backend.region_name}:{backend.account_id}:deploymentgroup:{application_name}/{group_name}"

    # moto/codedeploy/responses.py implements no UpdateDeploymentGroup, DeleteDeploymentGroup or
    # DeleteApplication (HTTP 500): every in-place change and every destroy of a fleet needs them.
    def update_deployment_group(self):
        backend = self.codedeploy_backend
        application_name = self._get_param("applicationName")
        current_name = self._get_param("currentDeploymentGroupName")
        group = backend.get_deployment_group(application_name, current_name)
        fields = {
            "deploymentConfigName": "deployment_config_name",
            "ec2TagFilters": "ec2_tag_filters",
            "onPremisesInstanceTagFilters": "on_premises_instance_tag_filters",
            "autoScalingGroups": "auto_scaling_groups",
            "serviceRoleArn": "service_role_arn",
            "triggerConfigurations": "trigger_configurations",
            "alarmConfiguration": "alarm_configuration",
            "autoRollbackConfiguration": "auto_rollback_configuration",
            "outdatedInstancesStrategy": "outdated_instances_strategy",
            "deploymentStyle": "deployment_style",
            "blueGreenDeploymentConfiguration": "blue_green_deployment_configuration",
            "loadBalancerInfo": "load_balancer_info",
            "ec2TagSet": "ec2_tag_set",
            "ecsServices": "ecs_services",
            "onPremisesTagSet": "on_premises_tag_set",
            "terminationHookEnabled": "termination_hook_enabled",
        }
        for param, attribute in fields.items():
            value = self._get_param(param)
            if value is not None:
                setattr(group, attribute, value)
        new_name = self._get_param("newDeploymentGroupName")
        if new_name and new_name != current_name:
            groups = backend.deployment_groups[application_name]
            groups[new_name] = groups.pop(current_name)
            group.deployment_group_name = new_name
        return "{\"hooksNotCleanedUp\": []}"

    def delete_deployment_group(self):
        backend = self.codedeploy_backend
        application_name = self._get_param("applicationName")
        group_name = self._get_param("deploymentGroupName")
        backend.get_deployment_group(application_name, group_name)  # raises the API's error when absent
        del backend.deployment_groups[application_name][group_name]
        backend.tagger.delete_all_tags_for_resource(dg_arn(backend, application_name, group_name))
        return "{\"hooksNotCleanedUp\": []}"

    def delete_application(self):
        backend = self.codedeploy_backend
        application_name = self._get_param("applicationName")
        # AWS deletes an application with its deployment groups; deleting an absent one succeeds.
        backend.applications.pop(application_name, None)
        backend.deployment_groups.pop(application_name, None)
        backend.tagger.delete_all_tags_for_resource(
            f"arn:aws:codedeploy:{backend.region_name}:{backend.account_id}:application:{application_name}"
        )
        return "{}"

    responses.CodeDeployResponse.update_deployment_group = update_deployment_group
    responses.CodeDeployResponse.delete_deployment_group = delete_deployment_group
    responses.CodeDeployResponse.delete_application = delete_application


# ---------------------------------------------------------------- Auto Scaling
def patch_autoscaling():
    from moto.autoscaling import models, responses

    # moto/autoscaling/models.py LifecycleHook hard-codes role_arn and notification_target_arn
    # ("TODO"); AWS stores what PutLifecycleHook was given (nothing, for a hook without a target).
    original_put_hook = responses.AutoScalingResponse.put_lifecycle_hook

    def put_lifecycle_hook(self):
        result = original_put_hook(self)
        hook = self.autoscaling_backend.lifecycle_hooks[
            f"{self._get_param('AutoScalingGroupName')}_{self._get_param('LifecycleHookName')}"
        ]
        hook.role_arn = self._get_param("RoleARN")
        hook.notification_target_arn = self._get_param("NotificationTargetARN")
        hook.notification_metadata = self._get_param("NotificationMetadata")
        return result

    responses.AutoScalingResponse.put_lifecycle_hook = put_lifecycle_hook

    # moto/autoscaling/responses.py create_auto_scaling_group / update_auto_scaling_group drop
    # MaxInstanceLifetime, InstanceMaintenancePolicy, DefaultInstanceWarmup and CapacityRebalance
    # (on update), and create no hooks from LifecycleHookSpecificationList; AWS stores them all.
    def remember_group_settings(self, is_create):
        params = self._get_params()
        group = self.autoscaling_backend.autoscaling_groups[params["AutoScalingGroupName"]]
        if "MaxInstanceLifetime" in params:
            group.max_instance_lifetime = int(params["MaxInstanceLifetime"])
        if "InstanceMaintenancePolicy" in params:
            policy = params["InstanceMaintenancePolicy"] or {}
            group.instance_maintenance_policy = {k: int(v) for k, v in policy.items() if v is not None and v != ""}
        if "DefaultInstanceWarmup" in params:
            group.default_instance_warmup = int(params["DefaultInstanceWarmup"])
        if not is_create and "CapacityRebalance" in params:
            group.capacity_rebalance = str(params["CapacityRebalance"]).lower() == "true"
        if is_create:
            for spec in params.get("LifecycleHookSpecificationList", []) or []:
                hook = self.autoscaling_backend.create_lifecycle_hook(
                    name=spec["LifecycleHookName"],
                    as_name=group.name,
                    transition=spec["LifecycleTransition"],
                    timeout=int(spec["HeartbeatTimeout"]) if spec.get("HeartbeatTimeout") else None,
                    result=spec.get("DefaultResult"),
                )
                hook.role_arn = spec.get("RoleARN")
                hook.notification_target_arn = spec.get("NotificationTargetARN")
                hook.notification_metadata = spec.get("NotificationMetadata")

    original_create_group = responses.AutoScalingResponse.create_auto_scaling_group
    original_update_group = responses.AutoScalingResponse.update_auto_scaling_group

    def create_auto_scaling_group(self):
        result = original_create_group(self)
        remember_group_settings(self, True)
        return result

    def update_auto_scaling_group(self):
        result = original_update_group(self)
        remember_group_settings(self, False)
        return result

    responses.AutoScalingResponse.create_auto_scaling_group = create_auto_scaling_group
    responses.AutoScalingResponse.update_auto_scaling_group = update_auto_scaling_group

    # moto/autoscaling/models.py delete_auto_scaling_group leaves the group's lifecycle hooks
    # behind; AWS deletes them with the group (a recreated group would otherwise inherit them).
    original_delete_group = models.AutoScalingBackend.delete_auto_scaling_group

    def delete_auto_scaling_group(self, group_name):
        original_delete_group(self, group_name)
        for key in [k for k, h in self.lifecycle_hooks.items() if h.auto_scaling_group_name == group_name]:
            del self.lifecycle_hooks[key]

    models.AutoScalingBackend.delete_auto_scaling_group = delete_auto_scaling_group

    # moto/autoscaling/models.py FakeScalingPolicy keeps no Enabled flag (read back as false) and
    # answers an empty PredictiveScalingConfiguration for every policy; AWS stores Enabled (default
    # true) and returns the predictive configuration of predictive policies only. The provider
    # would otherwise plan to enable every scaling policy, and drop a block nobody set, forever.
    original_put_policy = responses.AutoScalingResponse.put_scaling_policy

    def put_scaling_policy(self):
        result = original_put_policy(self)
        policy = self.autoscaling_backend.policies[self._get_param("PolicyName")]
        enabled = self._get_param("Enabled")
        policy.enabled = True if enabled is None else str(enabled).lower() == "true"
        if not policy.predictive_scaling_configuration:
            policy.predictive_scaling_configuration = None
        return result

    responses.AutoScalingResponse.put_scaling_policy = put_scaling_policy


# ---------------------------------------------------------------- Elastic Load Balancing v2
def patch_elbv2():
    from moto.elbv2 import exceptions, models

    # moto/elbv2/models.py delete_load_balancer deletes a load balancer whose deletion protection
    # is on; AWS refuses with OperationNotPermitted. The teardown test relies on the refusal.
    class DeletionProtected(exceptions.ELBClientError):
        def __init__(self, arn):
            super().__init__(
                "OperationNotPermitted",
                f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled",
            )

    original_delete = models.ELBv2Backend.delete_load_balancer

    def delete_load_balancer(self, arn):
        balancer = self.load_balancers.get(arn)
        if balancer is not None and str(balancer.attrs.get("deletion_protection.enabled", "false")).lower() == "true":
            raise DeletionProtected(arn)
        return original_delete(self, arn)

    models.ELBv2Backend.delete_load_balancer = delete_load_balancer

    # moto/elbv2/models.py FakeTargetGroup.load_balancer_arns is a list that only create_listener and
    # create_rule append to; AWS derives it from the listeners and rules that forward to the group, so
    # a group that a modified rule or default action starts forwarding to (a canary's, added to a
    # weighted forward) is associated with the load balancer, and one nothing forwards to any more is not.
    def load_balancer_arns(self):
        region, account = self.arn.split(":")[3:5]
        backend = models.elbv2_backends[account][region]
        found = []
        for balancer in backend.load_balancers.values():
            for listener in balancer.listeners.values():
                rules = [r for r in listener.rules.values() if not getattr(r, "is_default", False)]
                actions = list(listener.default_actions or []) + [a for r in rules for a in r.actions]
                if any(a.type == "forward" and self.arn in backend._get_target_group_arns_from(action_data=a.data) for a in actions):
                    found.append(balancer.arn)
                    break
        return found

    # The setter ignores the list moto's own code assigns and appends to.
    models.FakeTargetGroup.load_balancer_arns = property(load_balancer_arns, lambda self, value: None)

    # moto/elbv2/models.py modify_rule and modify_listener replace a forward action without
    # attaching the target groups it newly names to the load balancer (create_rule and
    # create_listener do); AWS lists in a target group's LoadBalancerArns every load balancer
    # whose listener or rule forwards to it. After each of them, every target group a forward
    # names is attached, so a canary's target group added to an existing rule is, as in AWS.
    # (Detaching is left as moto does it: never.)
    def reattach_target_groups(backend):
        for balancer in backend.load_balancers.values():
            for listener in balancer.listeners.values():
                actions = list(listener.default_actions or []) + [a for rule in listener.rules.values() for a in (rule.actions or [])]
                for action in actions:
                    if action.type != "forward":
                        continue
                    for arn in backend._get_target_group_arns_from(action_data=action.data):
                        group = backend.target_groups.get(arn)
                        if group is not None and balancer.arn not in group.load_balancer_arns:
                            group.load_balancer_arns.append(balancer.arn)

    for name in ("modify_rule", "modify_listener"):
        original = getattr(models.ELBv2Backend, name)

        def reattaching(self, *args, __original=original, **kwargs):
            result = __original(self, *args, **kwargs)
            reattach_target_groups(self)
            return result

        setattr(models.ELBv2Backend, name, reattaching)


# ---------------------------------------------------------------- EC2
def patch_ec2():
    from moto.ec2.models import security_groups
    from moto.ec2.responses import launch_templates

    # moto/ec2/responses/launch_templates.py create_launch_template copies the request's own
    # TagSpecifications (ResourceType "launch-template", which tag the template itself) into the
    # template data; AWS keeps them off the data (whose tag specifications name instances, volumes,
    # network interfaces), so the provider would read back a tag specification nobody configured.
    original_create = launch_templates.LaunchTemplates.create_launch_template

    def create_launch_template(self):
        result = original_create(self)
        template = self.ec2_backend.get_launch_template_by_name(self._get_param("LaunchTemplateName"))
        for version in template.versions:
            specs = version.data.get("TagSpecifications")
            if specs:
                version.data["TagSpecifications"] = [s for s in specs if s.get("ResourceType") != "launch-template"]
                if not version.data["TagSpecifications"]:
                    del version.data["TagSpecifications"]
        return result

    launch_templates.LaunchTemplates.create_launch_template = create_launch_template

    # moto/ec2/models/security_groups.py SecurityGroupRule.description reads the CIDR range only,
    # so a rule that references a security group loses its description; AWS keeps it.
    security_groups.SecurityGroupRule.description = property(
        lambda self: self.ip_range.get("Description") or (self.source_group or {}).get("Description")
    )


PATCHES = [patch_codedeploy, patch_autoscaling, patch_elbv2, patch_ec2]


def watch_parent(parent_pid):
    """Exits when the process that started us is gone (re-parented), so no server outlives a test run."""

    def loop():
        while True:
            if os.getppid() != parent_pid:
                os._exit(0)
            threading.Event().wait(1.0)

    threading.Thread(target=loop, daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    import moto

    if not moto.__version__.startswith("5.2."):
        # The patches answer moto 5.2.x; a newer moto may have fixed (or moved) what they patch.
        print(f"moto_launcher: written for moto 5.2.x, running {moto.__version__}", file=sys.stderr, flush=True)
    for patch in PATCHES:
        patch()

    from werkzeug.serving import make_server
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    os.environ["MOTO_PORT"] = str(server.port)
    watch_parent(os.getppid())
    print(f"moto listening on 127.0.0.1:{server.port} ({LAUNCHER_VERSION})", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
