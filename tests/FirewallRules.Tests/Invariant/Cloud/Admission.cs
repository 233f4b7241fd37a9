namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// An independent evaluator of one rendered document: it answers whether the target, holding the document as its documentation
/// says it applies it, lets a packet through. Each evaluator reads the text with a real parser and models the target's own
/// semantics (rule order, priorities, denies, the defaults the platform adds), never the library's code.
/// </summary>
internal abstract class Admission
{
    /// <summary>Whether the target, holding the document, lets <paramref name="packet"/> through.</summary>
    public abstract bool Admits(Packet packet);

    /// <summary>Whether the target lets <paramref name="packet"/> through without the document: its defaults.</summary>
    public abstract bool Platform(Packet packet);

    /// <summary>
    /// Traffic the target never sees, so no document can govern it and no probe of it is judged: loopback on every target here (it
    /// never leaves the host or the pod), and what each target adds (the cloud's metadata and link-local services).
    /// </summary>
    public virtual bool Unfiltered(Packet packet) => Net.IsLoopback(packet.Remote);

    /// <summary>
    /// Traffic the target's documentation says the document leaves to the platform's defaults even in a direction the plan governs
    /// (an NSG's virtual network, Azure's load balancer probes); the plan still decides a port it closes.
    /// </summary>
    public virtual bool LeftToPlatform(Packet packet) => false;

    /// <summary>The plan as the target's documentation says it renders it (the Kubernetes formats drop loopback, which no policy meets).</summary>
    public virtual PlanModel Reading(PlanModel plan) => plan;

    /// <summary>Traffic the target drops whatever a document says (GCP's outbound SMTP): no plan can be rendered to admit it.</summary>
    public virtual bool Blocked(Packet packet) => false;

    /// <summary>A list of addresses only: it holds no direction, protocol or port, so only the remote address is asked.</summary>
    public virtual bool AddressOnly => false;

    /// <summary>
    /// The document in each place the target may hold it, each judged apart: itself on most targets; on GCP a custom network and the
    /// default one, whose own rules the document's denies must beat on the ports the plan closes.
    /// </summary>
    public virtual IReadOnlyList<Admission> Networks => [this];

    /// <summary>Which of <see cref="Networks"/> this is, for a failure's message: empty where there is one.</summary>
    public virtual string Where => string.Empty;
}

/// <summary>Compares evaluators with the model: what each admits must be exactly what the plan admits.</summary>
internal static class Verdicts
{
    /// <summary>
    /// What <paramref name="admission"/> should answer for <paramref name="packet"/>: in a direction the plan governs, the plan's
    /// answer, or the platform's for traffic the target leaves to it (unless the plan closes that port); in another direction,
    /// the platform's alone (the document must add nothing there). What the target always drops is never admitted. A list holds
    /// exactly the plan's addresses.
    /// </summary>
    public static bool Expected(PlanModel model, Admission admission, Packet packet)
    {
        if (admission.AddressOnly)
        {
            return model.Holds(packet.Remote);
        }

        if (admission.Blocked(packet))
        {
            return false;
        }

        return model.Governs(packet.Direction)
            ? model.Admits(packet) || (admission.LeftToPlatform(packet) && admission.Platform(packet) && !model.Closes(packet))
            : admission.Platform(packet);
    }

    /// <summary>
    /// Each probe the document answers otherwise than the plan, as (probe, expected, admitted); address lists once per address. In a
    /// direction the plan does not govern, only what the document admits beyond the platform's defaults.
    /// </summary>
    public static IEnumerable<(Packet Probe, bool Expected, bool Admitted)> Differences(PlanModel model, Admission admission, IEnumerable<Packet> probes)
    {
        PlanModel plan = admission.Reading(model);
        foreach (Packet probe in Judged(admission, probes))
        {
            bool expected = Expected(plan, admission, probe);
            bool admitted = admission.Admits(probe);
            // Where the plan is silent the document may hold back what the platform allows (a group with no outbound rule), never add.
            bool silent = !admission.AddressOnly && !plan.Governs(probe.Direction);
            if (silent ? admitted && !expected : expected != admitted)
            {
                yield return (probe, expected, admitted);
            }
        }
    }

    /// <summary>The probes an evaluator is judged on: not those its target never sees; an address list's, once per address.</summary>
    public static IEnumerable<Packet> Judged(Admission admission, IEnumerable<Packet> probes) =>
        admission.AddressOnly ? probes.DistinctBy(p => p.Remote) : probes.Where(p => !admission.Unfiltered(p));
}
