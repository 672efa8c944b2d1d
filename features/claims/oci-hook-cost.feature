@claims @node @crio @containerd @oci-hook @cosign @cosign-v2
Feature: What the OCI hook costs at each container creation, beside the pull-time check

  The proof of concept says an OCI hook verifies "with cost of performance
  hit on each container creation". Each row starts two nodes of one runtime,
  one after the other, and creates pods of the signed image one at a time:
  on the first the runtime verifies pulls and no hook runs, on the second
  pulls are not checked and the OCI hook verifies every container. A
  container's time is the runtime's own: from its log line for the kubelet's
  CreateContainer request to the one for the StartContainer success, which
  hold `runc create` and so the hook (CRI-O runs it in CreateContainer,
  containerd in StartContainer). Beside it, the CRI pull of the signed image
  (removed after each pull), with and without pull-time verification. The
  medians are this run's evidence in reports/findings.md, taken while other
  scenarios share the CPU; no speed is asserted. bench/hooks.sh runs these
  alone, as often as asked.

  Background:
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed as "ci/app:signed"
    And "ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:signed" is copied with cosign v2 to "prod/app:signed"

  Scenario Outline: the OCI hook's cost on <runtime>: container creation with and without it, and the pull with and without pull-time verification
    When the OCI hook's cost on <runtime> is measured with 10 pods of "prod/app:signed" each way, trusting "corp-ecdsa-p256"
    Then every measured pod ran, the OCI hook verified each of the 10 pods on its node, and every pull succeeded

    Examples:
      | runtime    |
      | CRI-O      |
      | containerd |
