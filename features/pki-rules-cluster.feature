@byo @cosign @cosign-v2
Feature: Which signing certificate Kyverno, CRI-O and containerd refuse, and with which words

  The other half of pki-rules.feature: the same leaves, each breaking one
  rule of support/pki/pki-rules.ts and signed with cosign v2 under
  corp-ecdsa-p256's CA, judged by Kyverno's cosign attestor (which matches no
  identity: its policy names certificates only), by CRI-O's policy.json
  (sigstoreSigned with a pki, whose subjectEmail is the leaf's email) and by
  containerd's verifier (cosign v3, matching the leaf's URI).

  Background:
    Given the registries "ci", "prod", "open" and "blocked"
    And the test image "busybox" is pushed as "ci/app:signed"

  @kyverno
  Scenario Outline: Kyverno's cosign attestor and a leaf with <leaf>: the pod <verdict>
    Given "ci/app:signed" was signed with cosign v2 by "<profile>"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And Kyverno enforces the policy "cosign" for the registry "prod" trusting "<profile>"
    Then the pod "pod-rule-<name>" running "prod/app:signed" <verdict>

    Examples:
      | leaf                            | profile                          | name         | verdict                                                                     |
      | serverAuth alone                | corp-leaf-server-auth            | server-auth  | is rejected because "x509: certificate specifies an incompatible key usage" |
      | no subjectAltName               | corp-leaf-no-san                 | no-san       | is admitted                                                                 |
      | a CN-only subject               | corp-leaf-cn-only                | cn-only      | is admitted                                                                 |
      | a keyUsage that is not critical | corp-leaf-key-usage-not-critical | ku-critical  | is admitted                                                                 |

  @runtime @crio
  Scenario Outline: CRI-O and a leaf with <leaf>: the pull <verdict>
    Given "ci/app:signed" was signed with cosign v2 by "<profile>"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And CRI-O enforces the policy "exact-repository" trusting "<profile>"
    When "prod/app:signed" is pulled with crictl from CRI-O
    Then the pull <verdict>

    Examples:
      | leaf                            | profile                          | verdict                                                                      |
      | serverAuth alone                | corp-leaf-server-auth            | fails because "x509: certificate specifies an incompatible key usage"        |
      | no subjectAltName               | corp-leaf-no-san                 | fails because "Required email"                                               |
      | a URI and no email              | corp-leaf-uri-only               | fails because "Required email"                                               |
      | a CN-only subject               | corp-leaf-cn-only                | succeeds                                                                     |
      | a keyUsage that is not critical | corp-leaf-key-usage-not-critical | succeeds                                                                     |

  @runtime @containerd
  Scenario Outline: containerd's verifier and a leaf with <leaf>: the pull <verdict>
    Given "ci/app:signed" was signed with cosign v2 by "<profile>"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And containerd verifies pulls with the policy "cosign" trusting "<profile>"
    When "prod/app:signed" is pulled with ctr from containerd
    Then the pull <verdict>

    Examples:
      | leaf                            | profile                          | verdict                                                                                                |
      | serverAuth alone                | corp-leaf-server-auth            | fails because "leaf certificate verification failed"                                                   |
      | no subjectAltName               | corp-leaf-no-san                 | fails because "none of the expected identities matched what was in the certificate, got subjects []" |
      | a URI and no email              | corp-leaf-uri-only               | succeeds                                                                                               |
      | a CN-only subject               | corp-leaf-cn-only                | succeeds                                                                                               |
