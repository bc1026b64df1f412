/**
 * The bed's real nodes keep their containerd root between beds, so an image is
 * imported again only when the node holds it from another archive: a hub image
 * rebuilt for a new pin file (same reference) must replace the old one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importedArchives } from '../../testbed/node/images';

// `ctr images ls` as containerd 1.6 prints it (trailing spaces kept).
const LISTING = `REF                                   TYPE                                                 DIGEST                                                                  SIZE      PLATFORMS   LABELS                          
quay.io/jupyterhub/k8s-hub:4.4.0      application/vnd.docker.distribution.manifest.v2+json sha256:01353b3c385cdc2942ed6a29760e47e1dab491321d59fc2ebb57a865c8b1e592 356.7 MiB linux/amd64 io.cri-containerd.image=managed 
registry.k8s.io/pause:3.10.1          application/vnd.docker.distribution.manifest.v2+json sha256:1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff001 0.7 MiB   linux/amd64 afp.dev/archive=pause-7c004a0d9e9c5b6c.tar,io.cri-containerd.image=managed 
quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z application/vnd.docker.distribution.manifest.v2+json sha256:aa 318.0 MiB linux/amd64 - 
`;

describe("the real nodes' images", () => {
  it('reads which archive each reference came from; an image imported before the label, or without labels, has none', () => {
    assert.deepEqual(
      [...importedArchives(LISTING)],
      [
        ['quay.io/jupyterhub/k8s-hub:4.4.0', undefined],
        ['registry.k8s.io/pause:3.10.1', 'pause-7c004a0d9e9c5b6c.tar'],
        ['quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z', undefined],
      ],
    );
  });
});
