@crio @runtime
Feature: CRI-O verifies cosign signatures when it pulls, by policy.json

  The proof of concept's CRI-O setup, as a real CRI-O started by the run (as
  root, with its own storage, sockets and state; nothing in /etc/containers is
  read or written) and pulled from with crictl, the way the kubelet pulls.
  The policy (policies/crio/) has the original's four cases: "prod" requires
  a sigstoreSigned signature chaining to the private root and intermediate
  for the subject email; "open" is allowed without verification; "blocked" is
  rejected; any other registry falls to the default rule, which rejects.
  Images are signed in "ci" and relocated to "prod" with cosign copy, so the
  signed identity is still the "ci" repository: the policy names it
  (exactRepository), the way a user must.

  Background:
    Given the registries "ci", "prod", "open" and "blocked"
    And the registry "elsewhere"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"

  @cosign @cosign-v2
  Scenario Outline: the four cases of policy.json: <case>
    Given "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with cosign v2 to "<registry>/app:signed"
    And "ci/app:unsigned" is copied with cosign v2 to "<registry>/app:unsigned"
    And CRI-O enforces the policy "exact-repository" trusting "corp-ecdsa-p256"
    When "<registry>/app:<image>" is pulled with crictl from CRI-O
    Then the pull <verdict>
    And CRI-O's image store <store> "<registry>/app:<image>"

    Examples:
      | case                                               | registry  | image    | verdict                                                                  | store         |
      | signature required: the signed image is pulled     | prod      | signed   | succeeds                                                                 | holds         |
      | signature required: the unsigned image is rejected | prod      | unsigned | fails because "SignatureValidationFailed"                                | does not hold |
      | allowed without verification                       | open      | unsigned | succeeds                                                                 | holds         |
      | a rejected registry refuses even a signed image    | blocked   | signed   | fails because "is rejected by policy"                                    | does not hold |
      | the default rule rejects an unnamed registry       | elsewhere | signed   | fails because "is rejected by policy"                                    | does not hold |

  @cosign @cosign-v2
  Scenario: the unsigned image is rejected because no signature exists
    Given "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"
    And CRI-O enforces the policy "exact-repository" trusting "corp-ecdsa-p256"
    When "prod/app:unsigned" is pulled with crictl from CRI-O
    Then the pull fails because "A signature was required, but no signature exists"

  @cosign @cosign-v2
  Scenario: a signature by a leaf with another email is rejected
    Given "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256-other-identity"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And CRI-O enforces the policy "exact-repository" trusting "corp-ecdsa-p256"
    When "prod/app:signed" is pulled with crictl from CRI-O
    Then the pull fails because "SignatureValidationFailed"
    And the output also says "intruder@corp.example"

  @cosign @cosign-v2 @finding
  Scenario Outline: remapIdentity after relocation rejects a valid cosign signature, pulled <how>
    # Finding: remapIdentity compares like matchRepoDigestOrExact, which refuses
    # a signed identity that is a bare repository (containers/image
    # policy_reference_match.go: IsNameOnly -> no match). A cosign signature names
    # only the repository, so remapIdentity never accepts one, by tag or by digest.
    # After relocation, exactRepository is what works (the four cases above).
    Given "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And CRI-O enforces the policy "remap-identity" trusting "corp-ecdsa-p256"
    When "prod/app:signed" is pulled <how> with crictl from CRI-O
    Then the pull fails because "SignatureValidationFailed"
    And the output also says "is not accepted"

    Examples:
      | how       |
      | by tag    |
      | by digest |

  @cosign @cosign-v2
  Scenario: plain matchRepository after relocation: the signed identity is still the source repository
    Given "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And CRI-O enforces the policy "match-repository" trusting "corp-ecdsa-p256"
    When "prod/app:signed" is pulled with crictl from CRI-O
    Then the pull fails because "SignatureValidationFailed"
    And the output also says "not accepted"

  @cosign @cosign-v3
  Scenario: cosign v3 in the legacy format is pulled
    Given "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256" in the legacy format
    And "ci/app:signed" is copied with cosign v3 to "prod/app:signed"
    And CRI-O enforces the policy "exact-repository" trusting "corp-ecdsa-p256"
    When "prod/app:signed" is pulled with crictl from CRI-O
    Then the pull succeeds
    And CRI-O's image store holds "prod/app:signed"

  @cosign @cosign-v3 @finding
  Scenario: a cosign v3 bundle is invisible to CRI-O: the validly signed image is rejected
    # Finding: containers/image reads only the legacy .sig tag, so a v3 bundle
    # (the default format) counts as no signature at all.
    Given "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    And CRI-O enforces the policy "exact-repository" trusting "corp-ecdsa-p256"
    When "prod/app:signed" is pulled with crictl from CRI-O
    Then the pull fails because "A signature was required, but no signature exists"
