/** Small plans and schemas in the shape of `terraform show -json` and `terraform providers schema -json`. */
import { PlanJson, PlanResourceChange } from "../../../lib/terraform/plan-json";
import { ProviderSchemasJson } from "../../../lib/terraform/provider-schema";

export const AWS = "registry.terraform.io/hashicorp/aws";

export const SCHEMAS: ProviderSchemasJson = {
  provider_schemas: {
    [AWS]: {
      resource_schemas: {
        aws_launch_template: {
          version: 0,
          block: {
            attributes: {
              id: { type: "string", computed: true, optional: true },
              arn: { type: "string", computed: true },
              name: { type: "string", optional: true, computed: true },
              image_id: { type: "string", optional: true },
              latest_version: { type: "number", computed: true },
              tags_all: { type: ["map", "string"], computed: true, optional: true },
            },
            block_types: {
              block_device_mappings: {
                nesting_mode: "list",
                block: {
                  attributes: { device_name: { type: "string", optional: true } },
                  block_types: {
                    ebs: {
                      nesting_mode: "list",
                      block: { attributes: { iops: { type: "number", optional: true, computed: true } } },
                    },
                  },
                },
              },
              placement: { nesting_mode: "list", block: { attributes: { tenancy: { type: "string", optional: true } } } },
            },
          },
        },
        aws_autoscaling_group: {
          version: 1,
          block: {
            attributes: {
              id: { type: "string", computed: true, optional: true },
              name: { type: "string", optional: true, computed: true },
              target_group_arns: { type: ["set", "string"], optional: true, computed: true },
              warm_pool_size: { type: "number", computed: true },
            },
            block_types: {
              launch_template: {
                nesting_mode: "list",
                block: {
                  attributes: {
                    id: { type: "string", optional: true, computed: true },
                    version: { type: "string", optional: true },
                  },
                },
              },
            },
          },
        },
      },
      data_source_schemas: {
        aws_partition: {
          version: 0,
          block: { attributes: { id: { type: "string", computed: true }, partition: { type: "string", computed: true } } },
        },
      },
    },
  },
};

export function change(
  type: string,
  name: string,
  actions: PlanResourceChange["change"]["actions"],
  values: Partial<Omit<PlanResourceChange["change"], "actions">> = {},
  extra: Partial<PlanResourceChange> = {},
): PlanResourceChange {
  return {
    address: `${type}.${name}`,
    mode: "managed",
    type,
    name,
    provider_name: AWS,
    change: { actions, before: null, after: null, ...values },
    ...extra,
  };
}

/** Round one of a launch template and the ASG that uses it: both created, their IDs unknown. */
export function firstRoundPlan(): PlanJson {
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    resource_changes: [
      change("aws_launch_template", "Web_LaunchTemplate_1", ["create"], {
        after: {
          name: "web-lt",
          image_id: "ami-0a1b2c3d4e5f60789",
          block_device_mappings: [{ device_name: "/dev/xvda", ebs: [{}] }],
          placement: [],
          tags_all: { Fleet: "web" },
        },
        after_unknown: {
          id: true,
          arn: true,
          latest_version: true,
          block_device_mappings: [{ ebs: [{ iops: true }] }],
          placement: true,
          tags_all: {},
        },
      }),
      change("aws_autoscaling_group", "Web_AutoScalingGroup_2", ["create"], {
        after: { name: "web-asg", launch_template: [{ version: null }] },
        after_unknown: { id: true, target_group_arns: true, warm_pool_size: true, launch_template: [{ id: true, version: true }] },
      }),
    ],
    prior_state: {
      values: {
        root_module: {
          resources: [
            {
              address: "data.aws_partition.Partition_3",
              mode: "data",
              type: "aws_partition",
              name: "Partition_3",
              provider_name: AWS,
              schema_version: 0,
              values: { id: "aws", partition: "aws" },
            },
          ],
        },
      },
    },
    configuration: {
      provider_config: { aws: { expressions: { region: { constant_value: "eu-west-1" } } } },
      root_module: {
        resources: [
          { address: "aws_launch_template.Web_LaunchTemplate_1", mode: "managed", provider_config_key: "aws", expressions: {} },
          {
            address: "aws_autoscaling_group.Web_AutoScalingGroup_2",
            mode: "managed",
            provider_config_key: "aws",
            expressions: {
              launch_template: [
                {
                  id: { references: ["aws_launch_template.Web_LaunchTemplate_1.id", "aws_launch_template.Web_LaunchTemplate_1"] },
                },
              ],
            },
          },
          { address: "data.aws_partition.Partition_3", mode: "data", provider_config_key: "aws" },
        ],
      },
    },
  };
}
