@oras @notation
Feature: Notation signatures travel with the image from CI to production with oras

  The proof of concept moves images and their signatures from a CI registry to a
  production registry with oras, through an OCI layout archive (the air gap).
  A signature is a referrer of the image manifest: only a copy that follows the
  referrers graph (--recursive) carries it. Registries without the OCI 1.1
  referrers API (distribution, and crane registry serve as built) keep it under
  the sha256-<digest> fallback tag instead; ggcr has the API.

  Scenario: an air-gapped relocation through an OCI layout archive keeps the signature
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    When "ci/app:signed" is copied with oras --recursive to the OCI layout "outbound"
    And the OCI layout "outbound" is carried across the air gap as a tar archive and unpacked as the OCI layout "inbound"
    And the OCI layout "inbound" tag "signed" is copied with oras --recursive to "prod/app:signed"
    Then "prod/app:signed" has the digest of "ci/app:signed"
    And "prod/app:signed" has 1 notation signature
    When "prod/app:signed" is verified with notation
    Then the verification succeeds

  Scenario: the unsigned image arrives unsigned and does not verify in production
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    When "ci/app:unsigned" is relocated to "prod/app:unsigned" with oras --recursive through an OCI layout archive
    Then "prod/app:unsigned" has 0 notation signatures
    When "prod/app:unsigned" is verified with notation
    Then the verification fails because "no signature is associated with"

  Scenario: a relocation without --recursive loses the signature
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"
    And notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    When "ci/app:signed" is relocated to "prod/app:signed" with oras without --recursive through an OCI layout archive
    Then "prod/app:signed" has the digest of "ci/app:signed"
    And "prod/app:signed" has 0 notation signatures
    When "prod/app:signed" is verified with notation
    Then the verification fails because "no signature is associated with"

  Scenario Outline: relocation from a <from> registry to a <to> registry keeps the signature
    Given the registry "ci" of kind "<from>"
    And the registry "prod" of kind "<to>"
    And the test image "busybox" is pushed as "ci/app:signed"
    And notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    When "ci/app:signed" is relocated to "prod/app:signed" with oras --recursive through an OCI layout archive
    Then the signature of "prod/app:signed" is found through "<lookup at prod>"
    And "prod/app:signed" has 1 notation signature
    When "prod/app:signed" is verified with notation
    Then the verification succeeds

    Examples:
      | from         | to           | lookup at prod             |
      | distribution | ggcr         | the referrers API          |
      | ggcr         | distribution | the referrers tag fallback |
      | ggcr         | ggcr         | the referrers API          |
      | ggcr         | crane        | the referrers tag fallback |

  Scenario: a direct registry-to-registry copy keeps the signature too
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed as "ci/app:signed"
    And notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    When "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    Then "prod/app:signed" has 1 notation signature
    When "prod/app:signed" is verified with notation
    Then the verification succeeds
