@byo @notation @cosign @cosign-v2 @cosign-v3
Feature: Which verifier refuses which signing certificate, and with which words

  The rules a bring-your-own PKI is held to (support/pki/byo-pki.ts) are
  worth keeping only where a real verifier refuses. Each row signs with a
  leaf that breaks one rule (a profile's "leaf" options in
  scenarios/pki-profiles.yaml, all under corp-ecdsa-p256's CA), so that
  sigproof's own checks do not stand in the way, and asserts what notation,
  cosign v2 and cosign v3 make of it. The trust policy "strict-identity"
  trusts the leaf's own x509.subject; cosign checks the leaf's email (v2) or
  URI (v3), and cosign v3 reads a cosign v2 signature the legacy way.

  Background:
    Given the registry "ci"
    And the test image "busybox" is pushed as "ci/app:signed"

  Scenario Outline: notation and a leaf with <leaf>: signing <signing>, verification <verification>
    Given notation trusts the private PKI "<profile>" with the trust policy "strict-identity"
    When "ci/app:signed" is signed with notation by "<profile>" through the signer "openssl-ecdsa-sha256"
    Then signing <signing>
    When "ci/app:signed" is verified with notation
    Then the verification <verification>

    Examples:
      | leaf                                 | profile                          | signing                                                                        | verification                                          |
      | codeSigning and clientAuth           | corp-leaf-client-auth            | fails because "extended key usage must not contain ClientAuth eku"             | fails because "no signature is associated with"      |
      | serverAuth alone                     | corp-leaf-server-auth            | fails because "extended key usage must not contain ServerAuth eku"             | fails because "no signature is associated with"      |
      | no extended key usage                | corp-leaf-no-eku                 | succeeds                                                                       | succeeds                                              |
      | a keyUsage that is not critical      | corp-leaf-key-usage-not-critical | fails because "key usage extension must be marked critical"                    | fails because "no signature is associated with"      |
      | no subjectAltName                    | corp-leaf-no-san                 | succeeds                                                                       | succeeds                                              |

  Scenario: notation and a leaf with a CN-only subject: a trust policy that names the leaf's x509.subject is refused
    When notation is given the private PKI "corp-leaf-cn-only" with the trust policy "strict-identity"
    Then the setup fails because "with invalid identity value"
    And the output also says "has no mandatory RDN attribute for \"C\", it must contain 'C', 'ST' or 'S', and 'O' RDN attributes at a minimum"

  Scenario: notation and a leaf with a CN-only subject: with any identity trusted, it signs and verifies
    Given notation trusts the private PKI "corp-leaf-cn-only" with the trust policy "strict"
    When "ci/app:signed" is signed with notation by "corp-leaf-cn-only" through the signer "openssl-ecdsa-sha256"
    Then signing succeeds
    When "ci/app:signed" is verified with notation
    Then the verification succeeds

  Scenario Outline: cosign and a leaf with <leaf>: cosign v2 <v2>, cosign v3 <v3>
    Given "ci/app:signed" was signed with cosign v2 by "<profile>"
    When "ci/app:signed" is verified with cosign v2 trusting "<profile>"
    Then the verification <v2>
    When "ci/app:signed" is verified with cosign v3 trusting "<profile>"
    Then the verification <v3>

    Examples:
      | leaf                                 | profile                          | v2                                                                  | v3                                                        |
      | codeSigning and clientAuth           | corp-leaf-client-auth            | succeeds                                                            | succeeds                                                  |
      | serverAuth alone                     | corp-leaf-server-auth            | fails because "x509: certificate specifies an incompatible key usage" | fails because "leaf certificate verification failed"    |
      | no extended key usage                | corp-leaf-no-eku                 | succeeds                                                            | succeeds                                                  |
      | a keyUsage that is not critical      | corp-leaf-key-usage-not-critical | succeeds                                                            | succeeds                                                  |
      | a CN-only subject                    | corp-leaf-cn-only                | succeeds                                                            | succeeds                                                  |
      | no subjectAltName                    | corp-leaf-no-san                 | fails because "none of the expected identities matched what was in the certificate, got subjects []" | fails because "none of the expected identities matched what was in the certificate, got subjects []" |
