/** A site template may grant rights only inside its environment: cluster-wide RBAC is refused at file:line. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAfpError, type ApiErrorShape } from '../../../main/errors';
import { renderPlan } from '../../../main/render/plan';
import { problemsOf } from '../../../main/yaml/problems';
import { rbacSummary } from '../../../main/render/rbac';
import { builtin, fromText } from '../catalogue/fixtures';

const FILE = 'site-templates/bad-rbac.yaml';

function withObjects(objects: string): string {
  return `apiVersion: afp.dev/v1
kind: Template
metadata: { name: tool, title: Tool, version: 1.0.0 }
components:
  tool:
    image: ghcr.io/example/tool:1.0
extraObjects:
  - purpose: the tool reads pods
    objects:
${objects}`;
}

function problems(text: string): ApiErrorShape[] {
  try {
    renderPlan({ template: fromText(text, FILE), environment: { name: 'grp' } });
  } catch (error) {
    assert.ok(isAfpError(error));
    return problemsOf(error);
  }
  assert.fail('the template was accepted');
}

const role = `      - apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: { name: reader }
        rules: [{ apiGroups: [""], resources: [pods], verbs: [get] }]
`;

describe('extraObjects RBAC', () => {
  it('binding cluster-admin to system:authenticated is refused at the roleRef line', () => {
    const [problem, ...rest] = problems(
      withObjects(`      - apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: { name: everyone }
        subjects: [{ kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io }]
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
`),
    );
    assert.equal(rest.length, 0);
    assert.equal(problem?.file, FILE);
    assert.equal(problem?.line, 14);
    assert.match(problem?.message ?? '', /binds the ClusterRole "cluster-admin"; a template may bind only a Role it declares/);
  });

  it("a Role bound to a Group, a User or another namespace's ServiceAccount is refused at the subjects line", () => {
    for (const subject of [
      '{ kind: Group, name: "system:authenticated" }',
      '{ kind: User, name: bob }',
      '{ kind: ServiceAccount, name: default, namespace: kube-system }',
    ]) {
      const [problem] = problems(
        withObjects(`${role}      - apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: { name: reader }
        subjects: [${subject}]
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader }
`),
      );
      assert.equal(problem?.file, FILE);
      assert.equal(problem?.line, 17, subject);
      assert.match(problem?.message ?? '', /a template may bind only the environment's own ServiceAccounts/);
    }
  });

  it('ClusterRole and ClusterRoleBinding are refused at their kind line', () => {
    const [problem] = problems(
      withObjects(`      - apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: { name: everyone }
        subjects: [{ kind: Group, name: "system:authenticated" }]
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
`),
    );
    assert.equal(problem?.line, 11);
    assert.match(problem?.message ?? '', /ClusterRoleBinding is refused: an environment may grant rights only inside its own namespace/);
  });

  it("a Role bound to the environment's own ServiceAccount is accepted", () => {
    const plan = renderPlan({
      template: fromText(
        withObjects(`${role}      - apiVersion: v1
        kind: ServiceAccount
        metadata: { name: reader }
      - apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: { name: reader }
        subjects: [{ kind: ServiceAccount, name: reader }]
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader }
`),
        FILE,
      ),
      environment: { name: 'grp' },
    });
    const binding = plan.objects.find((object) => object.kind === 'RoleBinding');
    assert.deepEqual(binding?.subjects, [{ kind: 'ServiceAccount', name: 'reader', namespace: 'grp' }]);
  });
});

describe('Review lists every RBAC object in words', () => {
  it('jupyterhub: the hub ServiceAccount, what its Role may do, and the binding between them', () => {
    const lines = rbacSummary(renderPlan({ template: builtin('jupyterhub'), environment: { name: 'grp' } }));
    assert.deepEqual(
      lines.map((line) => `${line.kind} ${line.name}`),
      ['ServiceAccount hub', 'Role hub', 'RoleBinding hub'],
    );
    assert.ok(lines[1]?.grants.some((grant) => /^get, watch, list, create, delete on pods/.test(grant.text)));
    assert.deepEqual(
      lines[2]?.grants.map((grant) => grant.text),
      ['Role hub → ServiceAccount hub'],
    );
  });
});
