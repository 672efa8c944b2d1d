@containerd @runtime
Feature: containerd verifies signatures when it pulls, through its transfer service and sigproof's verifier

  A real containerd 2.x started by the run (as root, with its own root, state,
  sockets and config; nothing in /etc/containerd is read or written). Its
  image-verifier bindir plugin runs plugin/containerd-verifier.ts on every
  pull through the transfer service, which ctr and, since 2.1, CRI pulls use.
  The verifier reads policies/containerd/<policy>.json: "prod" is verified
  with the real cosign (or notation) against the private root; "open" is
  allowed; "blocked" is blocked; any other registry falls to the default rule,
  which blocks. containerd takes the verifier's stdout as its reason.

  Background:
    Given the registries "ci", "prod", "open" and "blocked"
    And the registry "elsewhere"
    And the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"

  @cosign @cosign-v2
  Scenario Outline: the four cases with <client>: <case>
    Given "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with cosign v2 to "<registry>/app:signed"
    And "ci/app:unsigned" is copied with cosign v2 to "<registry>/app:unsigned"
    And containerd verifies pulls with the policy "cosign" trusting "corp-ecdsa-p256"
    When "<registry>/app:<image>" is pulled with <client> from containerd
    Then the pull <verdict>
    And containerd's image store <store> "<registry>/app:<image>"

    Examples: ctr image pull (transfer service)
      | client | case                                                | registry  | image    | verdict                                                            | store         |
      | ctr    | signature required: the signed image is pulled      | prod      | signed   | succeeds                                                           | holds         |
      | ctr    | signature required: the unsigned image is blocked   | prod      | unsigned | fails because "cosign found no valid signature"                    | does not hold |
      | ctr    | allowed without verification                        | open      | unsigned | succeeds                                                           | holds         |
      | ctr    | a blocked registry refuses even a signed image      | blocked   | signed   | fails because "blocked by the rule for"                            | does not hold |
      | ctr    | the default rule blocks an unnamed registry         | elsewhere | signed   | fails because "blocked by the default rule"                        | does not hold |

    Examples: crictl pull (CRI, on the transfer service since 2.1)
      | client | case                                                | registry  | image    | verdict                                                            | store         |
      | crictl | signature required: the signed image is pulled      | prod      | signed   | succeeds                                                           | holds         |
      | crictl | signature required: the unsigned image is blocked   | prod      | unsigned | fails because "cosign found no valid signature"                    | does not hold |
      | crictl | allowed without verification                        | open      | unsigned | succeeds                                                           | holds         |
      | crictl | a blocked registry refuses even a signed image      | blocked   | signed   | fails because "blocked by the rule for"                            | does not hold |
      | crictl | the default rule blocks an unnamed registry         | elsewhere | signed   | fails because "blocked by the default rule"                        | does not hold |

  @cosign @cosign-v2
  Scenario: containerd names the verifier and its reason when it blocks
    Given "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"
    And containerd verifies pulls with the policy "cosign" trusting "corp-ecdsa-p256"
    When "prod/app:unsigned" is pulled with ctr from containerd
    Then the pull fails because "image verifier bindir blocked pull of"
    And the output also says "verifier sigproof-verifier rejected image (exit code 1)"
    And the output also says "no signatures found"

  @cosign @cosign-v2
  Scenario: a signature by a leaf with another email is blocked
    Given "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256-other-identity"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"
    And containerd verifies pulls with the policy "cosign" trusting "corp-ecdsa-p256"
    When "prod/app:signed" is pulled with crictl from containerd
    Then the pull fails because "cosign found no valid signature"
    And the output also says "none of the expected identities matched"

  @cosign @cosign-v3
  Scenario: cosign v3 bundles (the default format), relocated with oras, are verified by the verifier's cosign
    Given "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with oras --recursive to "prod/app:signed"
    And containerd verifies pulls with the policy "cosign" trusting "corp-ecdsa-p256"
    When "prod/app:signed" is pulled with ctr from containerd
    Then the pull succeeds

  @cosign @cosign-v3
  Scenario: cosign v3 in the legacy format, relocated with cosign copy, is verified by the verifier's cosign
    Given "ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256" in the legacy format
    And "ci/app:signed" is copied with cosign v3 to "prod/app:signed"
    And containerd verifies pulls with the policy "cosign" trusting "corp-ecdsa-p256"
    When "prod/app:signed" is pulled with crictl from containerd
    Then the pull succeeds

  @notation
  Scenario: Notation signatures relocated with oras are verified by the verifier's notation
    Given notation trusts the private PKI "corp-rsa-pss" with the trust policy "strict"
    And "ci/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"
    And "ci/app:signed" is relocated to "prod/app:signed" with oras --recursive through an OCI layout archive
    And "ci/app:unsigned" is relocated to "prod/app:unsigned" with oras --recursive through an OCI layout archive
    And containerd verifies pulls with the policy "notation" trusting "corp-ecdsa-p256"
    When "prod/app:signed" is pulled with crictl from containerd
    Then the pull succeeds
    When "prod/app:unsigned" is pulled with crictl from containerd
    Then the pull fails because "notation found no valid signature"
    And the output also says "no signature is associated with"

  @cosign @cosign-v2 @finding
  Scenario: an image already in the store is used without verification after the policy tightens
    # The limit the proof of concept documents: verifiers run on pulls only.
    # The image pulled while the policy allowed everything stays in the store;
    # a re-pull is now blocked, but the CRI image service still reports the
    # image (what the kubelet asks with imagePullPolicy IfNotPresent), and a
    # container starts from it.
    Given "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"
    And containerd verifies pulls with the policy "allow-all" trusting "corp-ecdsa-p256"
    And "prod/app:unsigned" was pulled with ctr from containerd
    When the containerd policy is tightened to "cosign" trusting "corp-ecdsa-p256"
    And "prod/app:unsigned" is pulled with crictl from containerd
    Then the pull fails because "cosign found no valid signature"
    And containerd's image store holds "prod/app:unsigned"
    When a container is started by ctr from "prod/app:unsigned" in containerd's store
    Then the container runs

  @cosign @cosign-v2 @finding
  Scenario: an imported image never meets the verifier
    # ctr image import is not a pull: no verifier runs, and the unsigned image
    # is in the store, and runs, although every pull of it is blocked.
    Given "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"
    And containerd verifies pulls with the policy "cosign" trusting "corp-ecdsa-p256"
    And "prod/app:unsigned" is imported into containerd from an OCI archive
    When "prod/app:unsigned" is pulled with crictl from containerd
    Then the pull fails because "cosign found no valid signature"
    And containerd's image store holds "prod/app:unsigned"
    When a container is started by ctr from "prod/app:unsigned" in containerd's store
    Then the container runs

  @cosign @cosign-v2 @finding
  Scenario: credentials in CRI's legacy registry settings take CRI pulls off the transfer service, so no verifier runs
    # Finding (containerd 2.4.2): a registry.configs (or auths, or mirrors)
    # entry in the CRI images config switches CRI pulls to the local pull
    # path, where no image verifier runs. containerd says so once, as a
    # warning in its own log at start; the pull itself succeeds without a
    # word. ctr pulls stay on the transfer service and are verified. What
    # keeps CRI pulls verified is the hosts dir (config_path) alone, as in
    # the four cases above, with credentials given per pull (the kubelet's
    # image pull secrets).
    Given "ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"
    And containerd verifies pulls with the policy "cosign" trusting "corp-ecdsa-p256", with credentials for "prod" in CRI's legacy registry settings
    When "prod/app:unsigned" is pulled with crictl from containerd
    Then the pull succeeds
    And containerd's image store holds "prod/app:unsigned"
    And containerd's log says "Found 'Registry.Configs' in CRI config which is incompatible with transfer service"
    When "prod/app:unsigned" is pulled with ctr from containerd
    Then the pull fails because "cosign found no valid signature"
