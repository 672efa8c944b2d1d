@cosign @cosign-relocation
Feature: Cosign carries images and their signatures from CI to production without oras

  The proof of concept notes that cosign can save and load images with their
  signatures by itself. `cosign save` writes an OCI layout with the image, its
  .sig signatures and its bundles; `cosign load` pushes it to another registry;
  `cosign copy` goes registry to registry. The image keeps its digest, so the
  signatures, which sign the digest, still hold, if they arrive.

  Scenario: save, air gap, load: a cosign v2 signature verifies in production
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed as "ci/app:signed"
    And "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    When "ci/app:signed" is saved with cosign v3, carried across the air gap as a tar archive and loaded into "prod/app:signed"
    Then the load succeeds
    And "prod/app:signed" has the digest of "ci/app:signed"
    When "prod/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification succeeds

  @finding
  Scenario: save, air gap, load: a cosign v3 bundle stops the load on a registry that checks manifests
    # Finding (cosign v3.1.3): load pushes the bundle's manifest before the
    # bundle blob it names, and distribution refuses a manifest with a missing blob.
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed as "ci/app:signed"
    And "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    When "ci/app:signed" is saved with cosign v3, carried across the air gap as a tar archive and loaded into "prod/app:signed"
    Then the load fails because "MANIFEST_BLOB_UNKNOWN: blob unknown to registry"

  Scenario Outline: cosign <copied with> copy: a cosign v2 signature verifies in production
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed as "ci/app:signed"
    And "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    When "ci/app:signed" is copied with cosign <copied with> to "prod/app:signed"
    Then "prod/app:signed" has the digest of "ci/app:signed"
    When "prod/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification succeeds

    Examples:
      | copied with |
      | v2          |
      | v3          |

  Scenario Outline: cosign <copied with> copy leaves a cosign v3 bundle behind
    # cosign copy follows the tag-based .sig/.att/.sbom attachments, not referrers.
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed as "ci/app:signed"
    And "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    When "ci/app:signed" is copied with cosign <copied with> to "prod/app:signed"
    Then "prod/app:signed" has the digest of "ci/app:signed"
    When "prod/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification fails because "no signatures found"

    Examples:
      | copied with |
      | v2          |
      | v3          |

  Scenario: a cosign save of an unsigned image arrives unsigned
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed as "ci/app:unsigned"
    When "ci/app:unsigned" is saved with cosign v3, carried across the air gap as a tar archive and loaded into "prod/app:unsigned"
    Then the load succeeds
    And "prod/app:unsigned" has the digest of "ci/app:unsigned"
    When "prod/app:unsigned" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification fails because "no signatures found"

  Scenario: oras cp --recursive does not carry cosign v2's .sig tag
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed as "ci/app:signed"
    And "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    When "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    And "prod/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification fails because "no signatures found"

  Scenario: oras cp --recursive carries a cosign v3 bundle, which is a referrer
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed as "ci/app:signed"
    And "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    When "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    And "prod/app:signed" is verified with cosign v3 trusting "corp-ecdsa-p256"
    Then the verification succeeds
