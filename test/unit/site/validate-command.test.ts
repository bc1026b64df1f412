import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../main/cli';
import { profileText, tempFolder, type TempFolder } from './profile-fixture';

async function afp(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    cwd,
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
  });
  return { code, out, err };
}

describe('afp validate on site profiles', () => {
  let tmp: TempFolder;
  before(async () => {
    tmp = await tempFolder();
  });
  after(async () => {
    await tmp.remove();
  });

  it('accepts the Naples example and says what it holds', async () => {
    const result = await afp(['validate', 'docs/examples/naples-af.yaml'], process.cwd());
    assert.equal(result.code, 0, result.err);
    assert.equal(
      result.out,
      'ok: docs/examples/naples-af.yaml: site profile Analysis Facility Napoli: 1 locked setting, 1 template folder, 6 declared nodes\n',
    );
  });

  it('fails with file, line and field for a profile whose range widens a template', async () => {
    const file = await tmp.write('wide.yaml', profileText('Wide', 'templates:\n  ranges:\n    dask:\n      workers: { max: 100 }\n'));
    const result = await afp(['validate', file], process.cwd());
    assert.equal(result.code, 1);
    assert.match(
      result.err,
      new RegExp(
        `${file}:9: templates\\.ranges\\.dask\\.workers\\.max: 100 is above the template's maximum 64: a site may only narrow a range`,
      ),
    );
  });
});
