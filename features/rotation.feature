@rotation @cosign @cosign-v2
Feature: A root rotation: production moves its trust from root A to root B, with a window in which both are trusted

  Root A is corp-ecdsa-p256, root B corp-next-ecdsa-p256 (its own root and
  intermediate, the same signing identity). During the window every verifier
  is given both CAs ("corp-rotation-window", a trust bundle); after it, B's
  alone. Images signed under A and under B are relocated to production with
  cosign copy, then judged by Kyverno and by both runtimes.

  Background:
    Given the registries "ci" and "prod"
    And the test image "busybox" is pushed to "ci" as "app:root-a" and "app:root-b"
    And "ci/app:root-a" was signed with cosign v2 by "corp-ecdsa-p256"
    And "ci/app:root-b" was signed with cosign v2 by "corp-next-ecdsa-p256"
    And "ci/app:root-a" is copied with cosign v2 to "prod/app:root-a"
    And "ci/app:root-b" is copied with cosign v2 to "prod/app:root-b"

  @kyverno @crio @containerd @runtime
  Scenario: during the window, images signed under A and under B are both admitted, and pulled by CRI-O and containerd
    Given Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-rotation-window"
    And CRI-O enforces the policy "node-default-allow" trusting "corp-rotation-window"
    And containerd verifies pulls with the policy "node-cosign-default-allow" trusting "corp-rotation-window"
    Then the pod "pod-root-a" running "prod/app:root-a" is admitted
    And the pod "pod-root-b" running "prod/app:root-b" is admitted
    When "prod/app:root-a" is pulled with crictl from CRI-O
    Then the pull succeeds
    When "prod/app:root-b" is pulled with crictl from CRI-O
    Then the pull succeeds
    When "prod/app:root-a" is pulled with crictl from containerd
    Then the pull succeeds
    When "prod/app:root-b" is pulled with crictl from containerd
    Then the pull succeeds

  @kyverno @crio @containerd @runtime
  Scenario: after the window, only images signed under B are admitted and pulled; A's are refused with each verifier's words
    Given Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-next-ecdsa-p256"
    And CRI-O enforces the policy "node-default-allow" trusting "corp-next-ecdsa-p256"
    And containerd verifies pulls with the policy "node-cosign-default-allow" trusting "corp-next-ecdsa-p256"
    Then the pod "pod-root-b" running "prod/app:root-b" is admitted
    And the pod "pod-root-a" running "prod/app:root-a" is rejected because "x509: certificate signed by unknown authority"
    When "prod/app:root-b" is pulled with crictl from CRI-O
    Then the pull succeeds
    When "prod/app:root-a" is pulled with crictl from CRI-O
    Then the pull fails because "x509: certificate signed by unknown authority"
    When "prod/app:root-b" is pulled with crictl from containerd
    Then the pull succeeds
    When "prod/app:root-a" is pulled with crictl from containerd
    Then the pull fails because "cosign found no valid signature"
    And the output also says "no matching signatures: leaf certificate verification failed"
