import * as path from 'path';
import { loadInput, loadManifests, manifestFiles, modelFromManifests } from '../../../simulation/assembly';
import { DEFAULT_VPC_CNI, EksplanError } from '../../../simulation/model';

// Plain YAML/JSON manifests (cdk8s dist/, kubectl output) under test/fixtures/manifests.
const MANIFESTS = path.join(__dirname, '..', '..', 'fixtures', 'manifests');
const APP = path.join(MANIFESTS, 'app');

describe('loadManifests', () => {
  it('walks a directory recursively in sorted order, reading only .yaml/.yml/.json', () => {
    expect(manifestFiles([APP]).map((f) => path.relative(APP, f))).toEqual([
      path.join('dist', '0000-web.k8s.yaml'), path.join('nested', 'list.yml'), path.join('nested', 'quota.json'),
    ]);
  });

  it('reads multi-document files (skipping empty documents and comments) and flattens List items', () => {
    expect(loadManifests([APP]).map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Deployment shop/web', 'Service shop/web', 'PodDisruptionBudget shop/web', 'PriorityClass /high', 'ResourceQuota shop/shop',
    ]);
  });

  it('reads a JSON file holding an array of objects', () => {
    expect(loadManifests([path.join(MANIFESTS, 'namespaces.json')]).map((o) => o.metadata.name)).toEqual(['a', 'b']);
  });

  it('keeps field values as written', () => {
    const deployment = loadManifests([path.join(APP, 'dist', '0000-web.k8s.yaml')])[0];
    expect(deployment.spec.replicas).toBe(4);
    expect(deployment.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' } });
  });

  it('builds a model with empty infrastructure, objects with their file, and the load balancers the objects imply', () => {
    const model = modelFromManifests([APP]);
    expect(model).toMatchObject({ subnets: [], nodeGroups: [], addons: [], vpcCni: DEFAULT_VPC_CNI, resources: {} });
    expect(model.objects[0].source).toEqual({ file: path.join(APP, 'dist', '0000-web.k8s.yaml'), id: 'Deployment shop/web' });
    // aws-load-balancer-type external makes the AWS Load Balancer Controller create an NLB (its docs, "Service annotations").
    expect(model.loadBalancers).toEqual([expect.objectContaining({ kind: 'nlb', scheme: 'internet-facing', owner: 'Service shop/web' })]);
    expect(loadInput(APP).objects).toHaveLength(5);
  });

  it.each<[string, string[]]>([
    // [fixture under bad/, parts of the message]
    ['syntax.yaml', ['syntax.yaml: line 7: is not valid YAML']],
    ['no-kind.yaml', ['no-kind.yaml: document 2.kind: Kubernetes object has no kind']],
    ['no-name.yaml', ['no-name.yaml: document 1.metadata.name: ConfigMap has no metadata.name']],
    ['latin1.yaml', ['latin1.yaml: is not valid UTF-8 (first bad byte at offset 52)']],
    ['deep.yaml', ['deep.yaml']],
    ['missing.yaml', ['missing.yaml: no such file or directory']],
  ])('fails on bad/%s with an EksplanError naming the file', (file, parts) => {
    let error: unknown;
    try { loadManifests([path.join(MANIFESTS, 'bad', file)]); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(EksplanError);
    for (const part of parts) expect((error as Error).message).toContain(part);
  });

  it('fails when a directory holds no Kubernetes objects', () => {
    expect(() => modelFromManifests([path.join(MANIFESTS, 'bad', 'empty')])).toThrow(/empty: holds no Kubernetes objects/);
  });
});
