/**
 * The Terraform render skips cdktf's prepare pass, which would wire a reference across stacks by
 * itself; such a reference is refused instead (infra/terraform-references.ts).
 */
import { foreignReferenceProblems, type TerraformDocument } from '../infra/terraform-references';
import { renderTerraform } from '../infra/render-terraform';
import { examplePlatform } from './support/example';

const stack = (terraform: TerraformDocument) => [{ stack: 'edge', terraform }];

describe('references between Terraform stacks', () => {
  test('a reference to a resource of another stack is refused, naming the stack and the resource', () => {
    const problems = foreignReferenceProblems(stack({ resource: { aws_lb: { external: { subnets: '${aws_subnet.public.id}' } } } }));
    expect(problems).toEqual([
      'stack edge: "${aws_subnet.public.id}" names aws_subnet.public, which is not in this stack (stacks read each other through terraform_remote_state outputs)',
    ]);
  });

  test('a data source of another stack is refused, also inside a function call', () => {
    const problems = foreignReferenceProblems(stack({ resource: { aws_lb: { external: { subnets: '${element(data.aws_subnets.public.ids, 0)}' } } } }));
    expect(problems).toEqual([expect.stringMatching(/^stack edge: .* names data\.aws_subnets\.public, which is not in this stack/)]);
  });

  test('own resources, own data sources, remote state outputs, variables, locals and for-expression variables are accepted', () => {
    const json = {
      data: { terraform_remote_state: { network: { backend: 's3' } }, aws_iam_policy_document: { read: { statement: [] } } },
      resource: {
        aws_acm_certificate: { cert: { domain_name: '${local.domain}' } },
        aws_route53_record: {
          validation: {
            for_each: '${{ for dvo_item in aws_acm_certificate.cert.domain_validation_options : dvo_item.domain_name => dvo_item }}',
            name: '${each.value.resource_record_name}',
            zone_id: '${data.terraform_remote_state.network.outputs.zone_id}',
          },
        },
        aws_iam_policy: { read: { policy: '${data.aws_iam_policy_document.read.json}', name: '${var.prefix}-read' } },
      },
    };
    expect(foreignReferenceProblems(stack(json))).toEqual([]);
  });

  test('no stack of the example references another stack directly', () => {
    const platform = examplePlatform();
    for (const env of platform.environments) {
      const stacks = renderTerraform(platform, env).map(({ stack, json }) => ({ stack, terraform: JSON.parse(json) as TerraformDocument }));
      expect(foreignReferenceProblems(stacks)).toEqual([]);
    }
  });
});
