"""The kinds of fact a question asks for (an amount, a number, a date, a named office-holder, ...) and whether
a sentence holds one: the question patterns and the Kind table that decline.py checks the evidence against."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ingest.lexical import tokenize

from .lexicon import (
    DAYS,
    GENERIC_TERMS,
    LABEL_WORDS,
    MONTHS,
    NAMES,
    PLACES,
    capitalised_names,
    name_groups,
    plain_text,
    says_phrase,
    unaliased,
)
from .synonyms import alternatives

_NUMBER_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|" \
                r"thousand|million|billion|dozen|half"
_MONEY_WORDS = r"costs?|fees?|prices?|pricing|salary|salaries|wages?|day rates?|daily rates?|hourly rates?|(?<!in )(?<!in-)charges?|budgets?(?! deals?\b| settlements?\b)|subscriptions?"
# "What's the budget?", "how much did it cost?": not "is the squeeze on household budgets one of them?"
_MONEY_Q = re.compile(rf"\b(is|are) (?:[\w'’-]+ ){{1,10}}?free\b|^\W*(?:did|has|have) (?:[\w'’-]+ ){{1,6}}?(?:get|got|"
                      rf"receive|received|been given|been awarded|getting) (?:any )?(?:[\w-]+ )?(?:funding|money|grants?|cash)\b|\b(?:what|which) (?:[\w-]+ ){{0,2}}?grants? (?:can|could|are|is|do|does)\b|\bin (?:extra|additional|new) (?:funding|money|cash)\b|\bhow much of (?:the|its|their|that|this) |\bfor free\b|\bhow (?:is|are|was|were|will) (?:[\w'’-]+ ){{1,6}}?funded\b|"
                      rf"\bhow (?:is|are|was|were|will) (?:\S+ ){{0,8}}?(?:split|divided|shared out|broken down)\b|"
                      rf"\bwhat (?:does|do|did|would|will) (?:[\w'’-]+ ){{1,5}}?pay\b|\b(have|has) to pay\b|\bfree (of charge|to use|to join)\b|\bhow much (is|are|does|do|did|was|were|will|would)\b(?! (?:[\w'’-]+ ){{1,3}}?(?:value|values|care about|rely on|emphasi[sz]e|trust|believe in|stress)\b)|\bhow much\b.*\b(money|"
                      rf"funding|funded|fund|grants?|costs?|charge|pay|paid|spend|spent|budget|invest\w*|receive\w*|cash|handed|"
                      rf"hand(?:ed)? out|given|awarded|went to|goes to|go to|put in|putting in|"
                      rf"allocated|worth|put into)\b|\b(what|which|how)\b(?:\s+[\w'’-]+){{0,5}}?\s+({_MONEY_WORDS})\b|"
                      rf"\b({_MONEY_WORDS}) (of|for)\b|\b(cost|costs|costed|(?<!in )(?<!in-)charge|charges|charged)\b", re.IGNORECASE)
MASS_Q = re.compile(r"\bhow much (carbon|co2|energy|electricity|gas|heat|water|waste|land|space|time|data|traffic)\b",
                   re.IGNORECASE)
_COUNT_Q = re.compile(r"\bhow many\b|\bwhat(?: i|')s (the|[\w-]+['’]s) (\w+ )?(population|number)\b|\bpopulation of\b|"
                      r"\bwhat population\b|\bpopulation (projection|forecast|estimate)s?\b|\bpopulation\b[^?]{0,20}\b(?:19|20)\d\d\b|\bwhat (?:is|was|were|are|will be) (?:the|[\w-]+['’]s) (?:\w+ ){0,3}?"
                      r"(?:number|total|figure|size|increase|decrease|rise|"
                      r"fall|growth|reduction|cut|change)\b|\bhow (big|large|much bigger|much smaller)\b|\bby how much\b|"
                      r"\bhow (far|much) (have|has|had|did|will)\b[^?]{0,40}\b(fall|fell|fallen|rise|risen|rose|drop|dropped|"
                      r"grow|grown|increase|increased|decrease|decreased|reduce|reduced|cut|improve|improved|gone up|gone down|go up|go down)\b|"
                      rf"{MASS_Q.pattern}", re.IGNORECASE)
_DATE_Q = re.compile(r"\bwhen (?:exactly |roughly |precisely |approximately )?(and where )?(is|was|will|would|did|does|do|are|were)\b|"
                     r"\b(end|start|closing|launch|publication|completion|expiry|finish|due) (?:dates?|years?)\b|\b(?:what|which) (years?|dates?|months?|days?|time)\b|"
                     r"\bdeadlines?\b|\bcut-?offs?\b|\bwhich (?:[\w-]+ )?years?\b|\bsince when\b|\btarget (years?|dates?)\b|\bby (what|which) "
                     r"(year|date)\b|\b(?:a|any) (?:specific|particular|set|exact|firm|target) (?:year|date)\b|\btime(tables?|lines?|scales?)\b|\byear[- ]by[- ]year\b", re.IGNORECASE)
# "Which councils have been hit by ransomware?": the answer names them (as a product question names a product).
_WHICH_NAME_Q = re.compile(r"\bwhich (?!(?:kinds?|types?|sorts?) of\b)(?:(?!(?:should|do|does|did|can|could|would|will|is|are|was|"
                           r"were|has|have|must|might)\b)[\w-]+ ){0,2}?(councils?|boroughs?|authorities|cities|towns|regions|counties|"
                           r"organisations?|organizations?|companies|firms|charities|universit(?:y|ies)|colleges?|schools|hospitals|"
                           r"trusts|departments?|subjects|courses|modules|qualifications|datasets|indicators|metrics|ministers?|secretar(?:y|ies)|mps|forces|acts?|laws?|legislation|bills?|statutes?|politicians?|officials?|mayors?|people|persons?|individuals|critics|commentators|"
                           r"experts|academics|researchers|neighbourhoods|communities|wards|streets|surgeries|practices|"
                           r"areas(?= (?:got|received|won|were given|have been given|have had|had|benefited)\b))\b"
                           r"(?! (?:do|does|should|can|could|would|might|must|will|(?:is|are) (?:[\w'’-]+ ){1,5}?"
                           r"(?:aimed|targeted|meant))\b)", re.IGNORECASE)
# "What age range counts as a young person?": ages, which a number alone does not give ("By 2025")
_AGE_Q = re.compile(r"\bwhat age(?: range| group| bracket|s)?\b|\bhow old\b|\bage (?:range|limit|group|bracket)\b", re.IGNORECASE)
_AGE = re.compile(r"\baged?\b|\bages\b|\byears? old\b|\b(?:under|over)[- ]\d\d\b|\b\d{1,2}\s?(?:-|–|to)\s?\d{1,2}[- ]year", re.IGNORECASE)
# Units by kind ("mass": tonnes), and words that ask for a measure of that kind without naming a unit.
_UNITS = {
    "mass": r"tonnes?|tons?|tonnage|t?co2e?|kilo(?:gram)?s?|kg",
    "power": r"kwh|mwh|gwh|twh|kilowatt[- ]?hours?|megawatts?|gigawatts?|kw|mw|gw",
    "length": r"kilometres?|kilometers?|km|miles?|metres?|meters?",
    "area": r"hectares?|acres?|square (?:metres?|miles?|kilometres?)",
    "bandwidth": r"terabits?|gigabits?|megabits?|tbps|gbps|mbps",
}
_MEASURED_IN = {**_UNITS, "bandwidth": rf"bandwidth|speeds?|latency|milliseconds|ms|{_UNITS['bandwidth']}"}
# "What were its emissions in tonnes?": a measure, which only a number gives.
_MEASURE_Q = re.compile(r"\b(?:minimum|maximum) (?:amount|number|level|size)\b|\bper (?:resident|person|head|household|pupil|capita)\b|"
                        r"\bhow (?:did|does|do|has) (?:[\w'’-]+ ){1,4}?(?:score|scored)\b|\bthresholds?\b|\btonnage\b|"
                        rf"\b(?:in|how many|total) (?:{'|'.join(_UNITS.values())})\b", re.IGNORECASE)
# "What gigabit target did the white paper set?": a target is a figure or a date.
_TARGET_Q = re.compile(r"\bwhat (?!(?:kinds?|types?|sorts?) of\b)(?:[\w'’-]+ ){0,6}?targets?\b|\btargets? (?:of|for) (?:how|what)\b|"
                       r"\btargets? (?:(?:for|on) (?:[\w'’-]+ ){0,4}?)?(?:for|by|in) (?:19|20)\d\d\b", re.IGNORECASE)
# "Has Camden actually hit its 2025 target?", "did it work?": an outcome, which plans and aims do not report.
_OUTCOME_Q = re.compile(r"\bhow (?:did|has|have) (?:[\w'’-]+ ){1,6}?(?:do|done|perform|performed|fare|fared)\b|"
                        r"\bwhat went (?:wrong|badly|well)\b|\bhow (?:did|has|have) (?:[\w'’-]+ ){1,6}?changed? (?:after|since)\b|^\W*did (?:\S+ ){1,8}?(?:improve|fall|drop|rise|decrease|increase|go down|go up)\b"
                        r"[^?]*\b(?:after|since)\b|\b(?:have|has) (?:[\w'’-]+ ){0,4}?(?:copied|replicated)\b|\bhow (?:has|have|did) (?:[\w'’-]+ ){1,6}?(?:respond|responded|react|reacted)\b|"
                        r"^\W*(?:has|have) (?:[\w'’-]+ ){1,6}?agreed to\b|"
                        r"^\W*(?:has|have) (?:\S+ ){1,8}?(?:reduced|cut|lowered|hit|met|"
                        r"achieved|saved|improved)\b[^?]*\b(?:yet|since)\b|"
                        r"\b(has|have|had|did)\b(?: [\w'’-]+){1,7}? (actuall?y |really |ever |already )?(hit|met|achieved|reduce|cut|lower|"
                        r"reached|delivered on|succeeded|worked(?! with| on| alongside| together| closely| in)|paid off)\b|"
                        r"\bdid (it|that|this|they|(?!(?:the|a|an|its|their)\b)[\w-]+) (actually |really |ever )?(work(?! with| on| alongside| together| closely| in)|succeed|pay off|achieve|hit|meet|"
                        r"reach|deliver)\b|\bdid (the )?[\w-]+ (actually |ever )?(take up|adopt|accept|implement|act on)\b|"
                        r"\b(has|have|did)\b(?: [^\s?]+){1,10}? actually (cut|reduce|reduced|lowered|increased|raised|improved|saved|made|"
                        r"created|attracted|delivered|brought|gone down|gone up|fallen|dropped|risen|decreased|declined|been adopted|"
                        r"been approved|been agreed|been implemented|been signed off)\b|\bany (results|impact)( yet| so far)?\W*$|\bdid\b(?: [\w'’-]+){1,5}? end up\b(?! with\b)|\b(has|have)\b(?: [\w'’-]+){1,6}? "
                        r"(gone (down|up)|fallen|dropped|risen|improved|worsened) (since|as a result)\b|\b(go|gone|went|gotten) (up|down) or (up|down)\b|\bhow (?:much|far) (?:has|have|had|did) (?:[\w'’-]+ ){1,6}?(?:fall|fell|fallen|drop|dropped|rise|risen|rose|decrease|decreased|increase|increased|improve|improved)\b|(?<!where )(?<!when )\bdid\b(?: [\w'’-]+){1,8}? (actually|really|ever) \w+|"
                        r"\b(has|have|had|did)\b.*\b(yet|in the end|so far|to date)\W*$|\b(on track|on course|on target) "
                        r"(to|for)\b|\b(been|proved|proven|turned out)( to be)?( a| an)? (success|successful|failure|effective|"
                        r"worth it|worthwhile)\b|\b(?:shown|showed) (?:any |real |much )?progress\b|\bhow (?:accurate|reliable|effective|"
                        r"successful|useful) (?:has|have|did|was|were) (?:[\w'’-]+ ){1,4}?(?:turned out|proved|proven|been)\b|\bshow(?:ed|n)? (?:it|them|they|that it|that they) (?:was |were |is |are )?"
                        r"(?:hitting|meeting|reaching|achieving|on track)\b|\bwhat (?:were|have been) the (?:results?|outcomes?) of\b|\bwhat came of\b|"
                        r"\bwhat (?:[\w-]+ )?(?:results?|outcomes?) (?:did|has|have|had)\b|\b(?:formally|since|officially) adopted\b|"
                        r"\badopted (?:them|it|these|those)\b|\b(?:measurable|tangible) (?:drop|fall|reduction|decrease|improvements?|impacts?|"
                        r"results?|differences?|change)\b|\bhow (?:was|were|is|are) (?:[\w'’-]+ ){1,8}?received\b|\bwhat happened (?:to|after|next|"
                        r"once|when)\b|^\W*(?:has|have|did) (?:[\w'’-]+ ){1,8}?(?:approved|endorsed|backed|ratified)\b|"
                        r"\b(?:been )?shown to (?:cut|reduce|lower|work|improve|increase|help)\b|\bhow many (?:[\w'’-]+ ){1,4}?actually "
                        r"(?:turned up|went|attended|came|took part|signed up|used|opened|reached|benefited)\b|"
                        r"\bhow (?:has|have) (?:[\w'’-]+ ){1,6}?changed\b|\bwhat (?:did|has|have) (?:[\w'’-]+ ){1,8}?achieved?\b|"
                        r"\bwhich (?:[\w-]+ ){0,2}?(?:councils|authorities|places|areas|boroughs|cities) (?:have|has) (?:already |formally |"
                        r"actually )?(?:signed up to|adopted|taken up|implemented|backed|endorsed)\b|"
                        r"^\W*(?:was|were|is|are|has|have) (?:[\w'’-]+ ){1,8}?(?:been )?(?:endorsed|approved|ratified|backed) by\b|"
                        r"^\W*(?:is|are) (?:[\w'’-]+ ){1,8}?still (?:running|going|active|operating|open|live|funded|in place|happening)\b|"
                        r"\bwhat (?:difference|impact) (?:did|has|have) (?:[\w'’-]+ ){1,8}?(?:made|make|had|have)\b", re.IGNORECASE)
# "What recommendations came out of the consultation?": the findings of an event or review.
_FINDINGS_Q = re.compile(r"\b(is|was) there (an |any )?(evaluation|assessment|review)s?\b|"
                         r"\b(?:were|was|are|is) there (?:any )?(?:recommendations|findings|conclusions)\b|"
                         r"\bwhat (?:were|are|have been) the (?:results|outcomes|impacts?)\b|\bany evaluations?\b|"
                         r"\bevaluation (results|findings|figures|data|evidence)\b|\bwhat did (?:[\w'’-]+ ){1,12}?(find|conclude|reveal|recommend\w*|propos\w*)\b|"
                         r"\b(recommendations|findings|conclusions|outcomes?|results?) (that )?(came|come|emerged|arose) "
                         r"(out of|from)\b|\b(recommendations|findings|conclusions) (of|from) (the|that|this|those)\b|"
                         r"\b(?:headline|key|main|top) (?:findings|results|conclusions)\b|\bfindings of\b|"
                         r"\bwhat (?:were|was|are|is) (?:[\w'’-]+ ){1,10}?(?:found|identified|revealed)\b|"
                         r"\bthe rest of (?:the|her|his|their|its) (?:series|reports?|book|papers?)\b|"
                         r"\brecommendations (?:did|does|do) (?:[\w'’-]+ ){1,3}?(?:make|give) to\b",
                         re.IGNORECASE)
# "What does Mazzucato's Mission Critical 01 recommend?": what a work the guidance only cites argues (not what
# Socitm or its prospectus suggests, which is what the guidance is).
_ARGUES_Q = re.compile(r"\bwhat (?:else )?(?:does|did|do|has|have) (?P<who>(?:[\w'’-]+ ){1,8}?)(?:recommend|argue|propose|conclude|suggest|"
                       r"advise|advocate|call for|(?:herself |himself |itself |themselves )?(?:think|make) of)\w*\b",
                       re.IGNORECASE)
_SELF = frozenset({"socitm", "the prospectus", "the guidance", "the response", "the document", "the blog", "the piece",
                   "you", "they", "it", "this", "socitm's response", "the socitm response", "socitm advisory",
                   "the levelling up response", "its prospectus", "socitm's prospectus"})


# "What other recommendations does Mazzucato make?"
_MAKES_Q = re.compile(r"\bwhat (?:other |else |further |more )?(?:recommendations|proposals|conclusions|suggestions) "
                      r"(?:does|did|do) (?P<who>(?:[\w'’-]+ ){1,8}?)(?:make|give|offer|put forward)\b", re.IGNORECASE)


# "What did the NHS think about councils' role?" (not "what does the prospectus want leaders to think about")
_THINKS_Q = re.compile(r"\bwhat (?:does|did|do) (?P<who>(?:[\w'’-]+ ){1,3}?)(?:really |actually )?think about\b", re.IGNORECASE)


def _argued(question: str) -> str | None:
    m = _ARGUES_Q.search(question) or _MAKES_Q.search(question) or _THINKS_Q.search(question)
    who = m.group("who").strip().lower().replace("’", "'") if m else ""
    return "" if who and who not in _SELF and not re.search(r"\b(who|do|does|did)\b", who) else None


_FINDINGS = re.compile(r"\b(recommend\w*|found that|findings?|conclu\w+|showed that|revealed)\b", re.IGNORECASE)
# "Can someone in Hackney use Islington's scheme?", "what grades does a pupil need?": who may take part, which the
# guidance never sets out for the schemes it describes.
_ELIGIBLE_Q = re.compile(r"^\W*who (?:can|may|could) (?:refer|apply|join|sign up|take part|be referred)\b|"  # not "use": who it is for
                         r"^\W*(?:can|could) (?:[\w'’-]+ ){1,3}?(?:get|claim|receive) (?:a |any )?(?:grants?|funding|money|help|support)\b|"
                         r"^\W*(?:does|do|will) (?:[\w'’-]+ ){1,6}?(?:give|offer|provide|pay) (?:grants?|funding|money|loans?) to\b|"
                         r"^\W*(?:do|does) (?:[\w'’-]+ ){1,4}?need (?:a |an )(?:[\w-]+ )?(?:referral|membership|licen[cs]e|permit|account)\b|"
                         r"^\W*(?:can|could|may) (?:private \w+|landlords|homeowners|tenants|households|families) (?:[\w'’-]+ ){0,2}?"
                         r"(?:sign up|join|apply|use|get|take part)\b|"
                         r"^\W*(?:can|could|may) (?:someone|anyone|residents?|people|non-residents?|patients?|i|we|my \w+|"
                         r"our \w+|a \w+|small \w+|businesses|charities|schools|councils|organisations|other \w+)\b[^?]{0,80}?\b(?:use|join|access|apply|sign up|"
                         r"register|take part|be referred|benefit|qualify)\b|\b(?:is|are) (?:[\w'’-]+ ){0,4}?eligible\b|"
                         r"^\W*(?:can|could|may) (?:[\w'’-]+ ){1,3}?(?:outside|beyond|elsewhere|in other|from other)\b[^?]*?\b(?:use|join|access|"
                         r"apply|refer|sign up|take part|be referred)\b|"
                         r"\bself[- ]refer\w*|\b(?:need|have) to go (?:through|via) (?:a|an|their|your|my)\b|"
                         r"\bonly (?:through|via|by) (?:a|an|their|your|my) (?:gp|doctor|referral|school|council)\b|"
                         r"\bwho (?:is|are) eligible\b|^\W*(?:is|are) (?:[\w'’-]+ ){1,8}?(?:open|available|aimed|restricted|limited) (?:to|at)\b|"
                         r"\b(?:entry|eligibility) (?:criteria|requirements)\b|"
                         r"\bwhat (?:grades|qualifications|scores?|marks|criteria|requirements)\b[^?]*\b(?:need|needed|"
                         r"required|must|have to)\b", re.IGNORECASE)
_ELIGIBLE = re.compile(r"\b(eligib\w*|open to|available to|only (?:for|to)|must|requirements?|criteria|qualif\w+|"
                       r"entitled|residents of|registered with)\b", re.IGNORECASE)
# "Will the Bicester model be copied elsewhere?": a prediction, which the guidance never makes.
_COMES_TRUE = r"achieve|succeed|work|deliver|be met|be achieved|happen|last|survive|exist|be around"
_PREDICT_Q = re.compile(rf"^\W*will (?:(?!what\b)[\w'’-]+ ){{1,8}}?(?:actually |really |ever |eventually |still )?(?:{_COMES_TRUE}|become|adopt|"
                        r"accept|implement|be copied|be replicated|be adopted|be rolled out|be extended|meet|hit|reach|"
                        r"pay off|bring in|introduce|deliver on|go ahead with|sign off)\b|\bis (?:[\w'’-]+ ){1,4}?likely to\b|"
                        r"\bwhat (?:will|is going to) happen\b|\bafter the (?:next )?(?:general )?election\b|^\W*will (?:the |a )?(?:next |future |new |incoming )?(?:government|ministers?|"
                        r"parliament|uk|labour|conservatives|tories)\b[^?]*\b(?:keep|scrap|drop|abandon|stick with|continue)\b|^\W*will (?:the )?(?:government|uk|britain|country|ministers?) "
                        r"(?:actually |really |ever )?(?:make|manage|deliver|meet|hit)\b|^\W*do (?:you|they|socitm) (?:think|reckon|expect) (?:that )?"
                        rf"(?:[\w'’-]+ ){{1,6}}?will (?:actually |really |ever |still )?(?:{_COMES_TRUE}|agree|grant|approve|"
                        r"accept|introduce|bring in|commit|fund)\b", re.IGNORECASE)
_PREDICT = re.compile(r"\b(likely|unlikely|expected to|expects?|on track|forecasts?|predict\w*|projected)\b", re.IGNORECASE)
# "Does Edinburgh's plan include a low emission zone?": the thing asked about, in the words of a sentence.
_INCLUDES_Q = re.compile(r"^\W*(?:does|do|did|will|would) (?:[\w'’-]+ ){1,8}?(?:(?:include|contain|feature|incorporate|use)s?|"
                         r"draws? on|rel(?:y|ies) on) "
                         r"(?:(?:an?|any|the|some|anything (?:on|about)) )?(?!(?:\w+ing|it|that|this|them|those|these)\b)"
                         r"(?P<what>[^?]+)", re.IGNORECASE)  # a thing, not "making it easier"
# "is X ...": a thing, not "is making it easier" nor "is it"
_THING_IS = r"^\W*(?:is|are|was|were) (?:(?:an?|any|the|some) )?(?!(?:\w+ing|it|that|this|they|those|these|there)\b)"
_AMONG_Q = re.compile(rf"{_THING_IS}(?P<what>[^?]+?) (?:one of|among) (?:the|its|their)\b", re.IGNORECASE)  # "is X one of the subjects"
# "Is the City of London Police part of the Met?": every word of the thing, as for "does X include Y"
_PART_Q = re.compile(rf"{_THING_IS}(?P<what>[^?]+?) (?:a |an )?part of (?:the|its|their)\b", re.IGNORECASE)
_ABOUT = re.compile(r"^(?:[\w'’-]+ ){1,2}?(?:about|on|covering|regarding) (?=\S)", re.IGNORECASE)
_ANY = "@any"  # in a contents question's detail: any word of the thing will do ("is X one of the ...")


def _includes_asked(question: str) -> str | None:
    """The thing a named plan is asked to include; with _ANY when the question asks whether it is "one of" a
    list, whose items the member may word otherwise ("is the squeeze on household budgets one of them?")."""
    question = unaliased(question)  # "is Holyrood one of the governments": the Scottish Government
    m = _INCLUDES_Q.search(question) or _AMONG_Q.search(question) or _PART_Q.search(question)
    if not m:
        return None
    thing = _ABOUT.sub("", m.group("what"))  # "a principle about automating services": automating services
    alts = alternatives(thing)  # each word, or the guidance's for it ("electric cars": electric vehicle charging)
    words = ["|".join([t, *sorted(alts.get(t, ()))]) for t in tokenize(thing) if t not in GENERIC_TERMS]
    return " ".join([_ANY] * (m.re is _AMONG_Q) + words)


def _included(text: str, detail: str) -> bool:
    """Every word of the thing asked about, or the thesaurus's word for it ("low emission zone"; "broadband for the
    Isles of Scilly" is not held by a sentence on the Isles of Scilly); any of them for "is X one of the Y"."""
    wanted = [set(word.split("|")) for word in detail.split() if word != _ANY]
    present = set(tokenize(text))
    present |= {t[:-1] for t in present if t.endswith("s")}
    return (any if _ANY in detail.split() else all)(bool(w & present) for w in wanted)


# "What's the quickest train from London to Windsor?": a journey, which a sentence must time or route
_TRAVEL_Q = re.compile(r"\b(?:quickest|fastest|cheapest|best|direct) (?:trains?|bus(?:es)?|routes?|way to get|flights?)\b|"
                       r"\bhow (?:do|can|should) (?:i|we) (?:get|travel) (?:to|from)\b|\bdirections to\b|\b(?:train|bus) times\b|"
                       r"\btimetables?\b", re.IGNORECASE)
_TRAVEL = re.compile(r"\b(?:journey|travel) times?\b|\b\d+ (?:minutes|mins|hours) (?:by|from|to)\b|\btimetables?\b", re.IGNORECASE)
# "Where in Blackpool is the site?": a location, which a sentence must give ("based at", a street, a building)
_WHERE_AT_Q = re.compile(r"\bwhere (?:in|exactly|precisely|physically)\b|\bphysically located\b|\bashore\b|\blandfall\b|\bwhat (?:street|address|postcode)\b",
                         re.IGNORECASE)
_WHERE_AT = re.compile(r"\b(?:located|situated|based|held) (?:in|at|on|near)\b|\b(?:street|road|avenue|lane|square|house|"
                       r"building(?! on)|centre|site|postcode)\b", re.IGNORECASE)  # not "Building on its accessibility"
# "Did Mazzucato help write it?": who wrote it, which a sentence must say ("written by")
_WROTE_Q = re.compile(r"^\W*did (?!socitm\b|they\b|it\b|you\b|we\b)(?:[\w'’-]+ ){1,4}?(?:help )?(?:write|author|draft|"
                      r"co-write)\b", re.IGNORECASE)  # not "did Socitm write a prospectus on ...?", which it answers


# "Should I go for a CIO job?": personal advice, which the guidance gives to no one member.
_ADVICE_Q = re.compile(r"\bshould i\b|\b(?:would|can|could) you recommend\b|\brecommendations? for (?:an?|good|decent)\b|^\W*(?:is|was|are|were) (?:my|our) (?:council|authority|organisation|borough|county|"
                       r"area|team)\b|\b(?:best way|how) (?:for me|can i|do i) (?:to )?(?:learn|train|retrain|become|"
                       r"get into|get a job)\b", re.IGNORECASE)
_ADVICE = re.compile(r"\byou (?:should|could|might|may want|need)\b", re.IGNORECASE)
# "Is taking part a statutory duty?": a legal requirement, which a sentence must state as one.
_LEGAL_Q = re.compile(r"\b(statutory|legal) (duty|duties|requirement|requirements|obligation|obligations)\b|"
                      r"\blegally (required|obliged|bound|binding)\b|\brequired by law\b|\blegal (?:rules|framework|position|basis)\b|"
                      r"\bthe law on\b|\bwhat does the law say\b|\b(?:law|act|legislation|regulations?) (?:(?:that|which) )?(?:obliges|requires|forces|compels|mandates)\b|"
                      r"\bsanctions?\b|\bpenalt(?:y|ies)\b|\b(?:procurement|tendering|planning|data protection) (?:rules|regulations|law|thresholds)\b", re.IGNORECASE)
_LEGAL = re.compile(r"\b(statutory|legal(ly)?|law|act|duty|duties|regulations?|obliged|required to)\b", re.IGNORECASE)
# "Give me Socitm's formal definition of a smart place": a definition the guidance states as one.
_DEFINITION_Q = re.compile(r"\b(formal|official|exact|precise|legal|statutory|agreed|standard)\s+definition\b|"
                           r"\bhow (?:does|do|did|would) (?:[\w'’-]+ ){1,4}?define\b|"
                           r"\bexplain what (?:[\w'’-]+ ){1,5}?(?:actually |really |exactly )?means?\b|"
                           r"\bwhat exactly (?:is|are) (?:the |a |an )?['‘\"“]|\bwhat (?:exactly |precisely )counts as\b",
                           re.IGNORECASE)
_DEFINITION = re.compile(r"\b(defin\w*|means|refers to|is the term|stands for)\b", re.IGNORECASE)
# "What criticisms have local people raised?": criticism, which a sentence must report.
_CRITIC_Q = re.compile(r"\bcriticis(?:m|ms|ed|ing)\b|\bcriticiz(?:ed|ing)\b", re.IGNORECASE)
_CRITIC = re.compile(r"\b(critic\w*|concerns?|objections?|opposition|opposed)\b", re.IGNORECASE)
# "How is the council measuring progress on it?": how progress is tracked, which a sentence must say.
_MONITOR_Q = re.compile(r"\bhow (?:is|are) (?:[\w'’-]+ ){1,6}?being (?:evaluated|measured|monitored|assessed|tracked)\b|"
                        r"\bhow (?:is|are|will|was|were|does|do) (?:[\w'’-]+ ){1,4}?(?:measur(?:e|ing)|track(?:ing)?|monitor(?:ing)?) "
                        r"(?:its |their )?(?:progress|success|impact|whether)\b", re.IGNORECASE)  # not "how can teams track"
_MONITOR = re.compile(r"\b(indicators?|metrics?|KPIs?|measured by|tracked|monitored|progress reports?)\b", re.IGNORECASE)
# "Can you give me the names of the current members?": people, by name.
_PEOPLE_Q = re.compile(r"\bany names\b|\bwho (?:is|are|was|were) the (?:man|woman|men|women|person|people|girl|boy|lady|"
                       r"figure)s? (?:in|holding|pictured|shown|on|standing|sitting|with|at)\b|\bname (the|its|their) (\w+ ){0,2}?(members|people|staff|officers|trustees|directors)\b|\bwho (took part|attended|participated|spoke)\b|\bnames? of (the |its |their )?(\w+ ){0,2}?(members|people|staff|officers|trustees|directors|"
                       r"attendees|participants|speakers|representatives|leaders|chairs)\b|\bwho (are|were) (the|its|"
                       r"their) (current |present )?(members|trustees|directors|attendees|participants|speakers)\b|"
                       r"\bwho (?:is|are|serves?|sits?)(?: currently| now)? on (?:the |its |their )?(?:[\w'’-]+ ){0,2}?"
                       r"(board|committee|panel|executive|cabinet)\b",
                       re.IGNORECASE)
# "Which mission does Socitm see as the top priority?": a ranking the guidance must state.
_RANKING_Q = re.compile(r"\b(top|highest|first|biggest|main) priority\b|"
                        r"\b(?:fastest|slowest|quickest|worst|highest|lowest) (?:[\w-]+ ){0,2}?in the (?:country|uk|nation|"
                        r"england)\b|"
                        r"\bwhich (?:one|of (?:them|these|those|the (?:[\w-]+ ){0,3}?[\w-]+))\b[^?]*\b(?:first|most urgent)\b|"
                        r"\b(?:single )?(?:largest|biggest|greatest|main) (?:single )?(?:source|cause|contributor|driver)s?\b|\bwhich\b[^?]*\b(?:best|worst)\W*$|\bthe first (?:uk |english |british |scottish |welsh |"
                        r"local )?(?:council|authority|city|town|place|organisation|area|region|county|borough)s? to\b|\bmost important\b|\bmatters? most\b|"
                        r"\brank(s|ed|ing)?\b|\bor (?:[\w'’-]+ ){1,4}?first\b|\b(did|do|does|done) (it |this |that )?(the )?best\b|\bprioriti[sz]e (\w+ )?(first|most|above)\b|\b(most|least) (effective|successful|impactful)\b|\bworked best\b|"
                        r"\bbest[- ]performing\b|\bwhich\b.*\b(scores?|scored|ranks?|ranked|rated|performs?|performed|"
                        r"comes?|came) (highest|lowest|best|worst|top|bottom)\b|\bwhich\b[^?]*\bthe (biggest|largest|smallest|highest|"
                        r"lowest|most|least|strongest|weakest|best|worst)\b(?! (of|in|on|about)\b)", re.IGNORECASE)
_OUTCOME = re.compile(r"\b(achieved|has met|have met|met its|hit its|reached|exceeded|missed|succeeded|resulted in|led to|"
                      r"welcomed|well received|reception|approved|endorsed|"
                      r"on track|on course|adopted|took up|accepted|implemented|"
                      r"has cut|has reduced|has increased|has fallen|has risen|so far)\b", re.IGNORECASE)
_RANKING = re.compile(r"\b(top|highest|first|biggest|main|overriding) priorit(y|ies)\b|\bthe first\b|\bmost important\b|"
                      r"\babove all\b|\bforemost\b|\bpriorit(y|ise|ize)s?\b.*\b(over|before|first)\b|"
                      r"\b(most|least) (effective|successful|impactful)\b|\bworked best\b|\boutperform", re.IGNORECASE)
# "How long does it take?": a length of time.
# "For how many years has Socitm ...?" asks for a length of time, not a count.
# "How many members did Socitm have ten years ago?": a figure at a time, which a sentence must date.
_THEN_Q = re.compile(r"\b(?:\w+|\d+) years? ago\b|\bback then\b|\bat the time\b|\bin (?:19|20)\d\d\b", re.IGNORECASE)
_THEN = re.compile(r"\b(?:19|20)\d\d\b|\bago\b|\bat the time\b|\bback then\b", re.IGNORECASE)
# "Which university is she at?": a university by name ("University of Exeter"), not any name.
_INSTITUTION_Q = re.compile(r"\bwhich (?P<what>universit(?:y|ies)|colleges?|hospitals?|charit(?:y|ies))\b", re.IGNORECASE)
# "Where would I find population forecasts?" asks where to look, not for a number.
_WHERE_Q = re.compile(r"^\W*where (?:can|could|would|do|should|might) (?:i|we|you|one) (?:find|get|look|see)\b", re.IGNORECASE)
# "How does it compare with Manchester's?": a comparison the guidance must make.
_COMPARE_Q = re.compile(r"\bhow (?:does|do|did|would) (?:[\w'’-]+ ){1,8}?compare\b|\bdifference between\b|\boverlaps?\b|"
                        r"\b(?:created|delivered|saved|cut|attracted|produced|generated|made|brought in) (?:more|fewer|less) "
                        r"(?:[\w'’-]+ ){0,3}?than\b|"
                        r"\b(?:doing|done|performing|performed|faring|fared) (?:any )?(?:better|worse) than\b|"
                        r"^\W*(?:is|are|was|were) (?:[\w'’-]+ ){1,6}?(?:better|worse|(?:more|less) \w+) than\b|"
                        r"\bwhich (?:one )?(?:saves|costs|delivers|achieves|produces|creates|cuts) (?:more|less|most|least)\b|"
                        r"\bwhich (?:one )?(?:will|would|is going to) (?:[\w'’-]+ ){1,3}?(?:more|fewer|less|better|worse)\b[^?]*\bor\b|"
                        r"\bwhich (?:one )?(?:has|have|had) (?:done|performed|fared) (?:better|worse|best|worst)\b|"
                        r"\bshould (?:i|we|my \w+|our \w+|a council|councils|a \w+) (?:use|choose|pick|go with|adopt|buy|copy|"
                        r"partner with|go for|start with) (?:[\w'’-]+ ){1,8}?or\b|"
                        r"\bwhich (?:one |of (?:the|them|these|those) (?:two )?)?(?:is|was|would be|works?) (?:better|best)\b",
                        re.IGNORECASE)
_COMPARE = re.compile(r"\b(than|compared|comparison|whereas|unlike|versus|in contrast|similar to|the same as)\b", re.IGNORECASE)
# "What broadband speed should we aim for?": a measure.
_SPEED_Q = re.compile(r"\b(?:broadband|download|upload|connection|internet|line) speeds?\b|\bwhat (?:speeds?|bandwidth|capacity)\b|\bbandwidth\b|"
                      r"\blatency\b|\bmilliseconds\b|\bround[- ]trip\b|\bhow (?:quick|fast) is\b|"
                      r"\bwhat (?!(?:kinds?|types?|sorts?) of\b)(?:[\w'’-]+ ){0,5}?(?:figure|score|rating)s?\b(?! out)", re.IGNORECASE)
# A measure in a unit: "in tonnes", "what bandwidth" are answered by a number in that unit, not by "over £1 billion".
_UNIT_Q = {unit: re.compile(rf"\b(?:{words})\b", re.IGNORECASE) for unit, words in _MEASURED_IN.items()}
_UNIT = {unit: re.compile(rf"\d\s?(?:{words})\b|\d (?:[\w-]+ )?(?:{words})\b", re.IGNORECASE)
         for unit, words in _MEASURED_IN.items()}


def _unit_asked(question: str) -> str:
    """The unit family of a measure question ("mass" for "how many tonnes"), or "" for any number."""
    return next((unit for unit, pattern in _UNIT_Q.items() if pattern.search(question)), "")


def _measured(text: str, detail: str) -> bool:
    """A number (not a plan's years); for a unit family, a number in one of its units ("12,000 tonnes")."""
    text = _without_plan_years(text)
    return bool(_UNIT[detail].search(text)) if detail in _UNIT else _counted(text, detail)


# "How much did each workshop get?": an amount per item, which a total does not give.
_EACH_Q = re.compile(r"\b(each|per|apiece|a head|on average|split|divided|shared out|broken down|breakdown)\b", re.IGNORECASE)
# "How often does it meet?": a frequency, which a sentence must state.
_FREQUENCY_Q = re.compile(r"\bhow (often|frequently|regularly)\b|\bhow many times (a|an|per|each|every)\b|"
                          r"\b(?:daily|weekly|monthly|quarterly|annually|yearly) or (?:daily|weekly|monthly|quarterly|annually|"
                          r"yearly)\b", re.IGNORECASE)
_FREQUENCY = re.compile(r"\b(every|each|per|a|once a|twice a) (day|week|fortnight|month|quarter|year|term)\b|\b(daily|weekly|"
                        r"fortnightly|monthly|quarterly|annual(ly)?|yearly|biannual(ly)?|regularly|times a)\b", re.IGNORECASE)
_HOW_MANY_UNITS = re.compile(r"\bhow many (years|months|weeks|days|hours|decades)\b", re.IGNORECASE)
_DURATION_Q = re.compile(rf"\bhow long (does|did|will|would|is|was|has|have|do|can|should)\b|{_HOW_MANY_UNITS.pattern}",
                         re.IGNORECASE)
# "Is there a good low-code platform?", "what software did they use?": a named product or supplier.
_PRODUCT_Q = re.compile(r"\b(which|what) (?:[\w-]+ ){0,2}?(software|platforms?|products?|apps?|suppliers?|vendors?|providers?|crm|"
                        r"packages?|systems?|compan(?:y|ies)|firms?|operators?|contractors?|employers?|exam boards?|awarding bod(?:y|ies)|martial arts?|sports?|political part(?:y|ies))\b|"
                        r"\bwhich (?:[\w-]+ ){0,3}?(?:teams?|directorates?)\b|\bwhich (?:[\w-]+ ){0,2}?businesses\b|\b(?:what|which) specific (?!(?:societal |social |big )?(?:problems|issues|challenges)\b)|\bnames? of (?:the |its |"
                        r"their )?(?:[\w-]+ ){0,3}?(?:clubs?|schools?|projects?|schemes?|groups?|organisations?|compan(?:y|ies)|charit(?:y|ies))\b|\bis there an? (?:[\w-]+ )?(?:app|software|platform)\b|\b(which|what) named\b|\b(good|best|recommended?)\b(?:\s+[\w-]+){0,3}?\s+(software|platforms?|products?|"
                        r"apps?|suppliers?|vendors?|crm|laptops?|tablets?|phones?|computers?|devices?)\b", re.IGNORECASE)
_PERCENT_Q = re.compile(r"\b(percentage|percent|per cent|proportion)\b|\b(?:vaccine|vaccination|jab|booster) uptake\b|"
                        r"\bwhat(?:'s|’s| is| are) the (?:current |latest |national |average )?(?:[\w-]+ ){0,3}?rates?\b|\b(?:response|take-?up|uptake|turnout|completion|success|poverty|unemployment|employment|crime|vacancy|"
                        r"participation|recycling|inflation|growth|interest|exchange|vat|tax) rates?\b|\bwhat share of\b|\b(what|how many|which)\s*%", re.IGNORECASE)
# "Who wrote / chairs / funds ...": the answer is whoever did it, so a sentence must say who ("chaired by").
# "How were the partners chosen?": a selection, which a sentence must describe ("selected through", "chosen by")
_CHOSEN_Q = re.compile(r"\bhow (?:were|was|are|is) (?:[\w'’-]+ ){1,8}?(?:chosen|selected|picked|appointed|decided)\b|"
                       r"\bselection (?:criteria|process)\b|\bwhat criteria\b", re.IGNORECASE)
_CHOSEN = re.compile(r"\b(chosen|selected|selection|picked|appointed|procured|procurement|tender\w*|competition|criteria)\b",
                     re.IGNORECASE)
_AGENT_Q = re.compile(r"\b(?:who|which (?:[\w-]+ ){0,2}?(?:departments?|ministry|ministries|bodies|body|institutes?|researchers|"
                      r"compan(?:y|ies)|firms?|trusts?|developers?|builders?|contractors?|consultanc(?:y|ies)|"
                      r"academics|"
                      r"organisations?|publishers?|think tanks?)) (?:(?:on|in|at|from) (?:[\w'’-]+ ){1,3}?)?(?:\w+ly |now |still |first |is |are |was |were )?(?P<verb>wrote|writes|authored|published|publishes|chairs|chaired|leads|led|runs|ran|heads|"
                      r"headed|founded|funds|funded|sponsors|sponsored|signed|in charge of|manages|managed|owns|owned|coordinates|coordinated|"
                      r"oversees|oversaw|designated|appointed|accredits|accredited|certifies|certified|approves|"
                      r"approved|signed off|signs off|maintains|maintained|running|managing|leading|chairing|heading|paid for|pays for|"
                      r"came up with|coined|invented|devised|originated|created|developed|designed|built|responsible for|started|"
                      r"gave|awarded|granted|drew|illustrated|photographed|painted|funding|paying for|bankrolling)\b",
                      re.IGNORECASE)
_AGENT = {"wrote": "written|authored|wrote|author", "writes": "written|authored|writes|author",
          "authored": "written|authored|author", "published": "published|publisher", "publishes": "published|publisher",
          "chairs": "chaired|chairs|chair", "chaired": "chaired|chair", "leads": "led|leads|leader",
          "led": "led|leader", "runs": "run|runs", "ran": "run|ran", "heads": "headed|heads|head",
          "headed": "headed|head", "founded": "founded|founder", "funds": "funded|funds|funding from", "funding": "funded|funds|funding from",
          "paying for": "paid for|funded|funding from", "bankrolling": "funded|funding from|bankrolled",
          "funded": "funded|funding from", "sponsors": "sponsored|sponsors|sponsor", "sponsored": "sponsored|sponsor",
          "signed": "signed", "drew": "drawn by|drew|illustrated by|illustrator|artist",
          "illustrated": "illustrated by|illustrator|artist", "photographed": "photographed by|photographer|photo by",
          "painted": "painted by|painter|artist", "manages": "managed|manages|manager", "managed": "managed|manager",
          "owns": "owned|owns|owner", "owned": "owned|owner", "came up with": "came up with|coined|devised|invented|"
          "developed|created|originated|conceived", "coined": "coined|came up with", "invented": "invented|inventor",
          "devised": "devised|came up with", "originated": "originated|originator", "created": "created|creator",
          "developed": "developed|developer", "designed": "designed|designer", "built": "built|builder",
          "coordinates": "coordinated|coordinates|coordinator|coordinating", "coordinated": "coordinated|coordinator",
          "oversees": "overseen|oversees|oversight", "oversaw": "overseen|oversaw|oversight",
          "designated": "designated|designation", "appointed": "appointed|appointment",
          "in charge of": "in charge|responsible|leads|led by", "accredits": "accredited|accredits|accreditation",
          "accredited": "accredited|accreditation", "certifies": "certified|certifies|certification",
          "certified": "certified|certification", "approves": "approved|approves|approval", "approved": "approved|approval",
          "signed off": "signed off|signed|approved", "signs off": "signed off|signs off|signed|approved",
          "maintains": "maintained|maintains", "maintained": "maintained", "running": "run|runs|running|led by",
          "managing": "managed|manages|manager", "leading": "led|leads|leader", "chairing": "chaired|chairs|chair",
          "heading": "headed|heads|head", "paid for": "funded|funding from|paid for", "pays for": "funded|funding from|pays for",
          "responsible for": "responsible|in charge|led by|leads", "started": "started|founded|founder|set up|established",
          "own": "owned|owns|owner", "lead": "led|leads|leader", "run": "run|runs|led by", "fund": "funded|funds|funding from",
          "manage": "managed|manages|manager", "oversee": "overseen|oversees|oversight",
          "gave": "gave|given|awarded|granted|designated", "awarded": "awarded|granted", "granted": "granted|awarded"}
# "List all 12 levelling up missions": the guidance must list that many items, not merely mention the number.
# "What were the other three Camden missions?" asks for the rest of a list of three.
LIST_Q = re.compile(rf"\b(list|name|what (?:exactly |precisely )?are|what (?:are|were) the names of|what (?:exactly |precisely )?were|which are|which were|give me|tell me|set out|spell out|"
                     rf"the other|the remaining|the rest of the) (all |every |each )?(of )?(the |its |their |your |"
                     rf"(?:the )?(?:[\w-]+ )?[\w-]+(?:['’]s|s['’]|s) (?=other |remaining ))?(other |remaining )?"
                     rf"(?P<n>\d+|{_NUMBER_WORDS})\b", re.IGNORECASE)
# "Can you list them all?", "name every one of them": a list, however long.
_LIST_ALL_Q = re.compile(r"\b(list|name)\s+(them|those|these|each|every one|all)\b(\s+(all|out))?|\b(list|name) all of "
                         r"(them|those|these)\b|\b(?:what|which) (?:are|were) (?:the |its |their |[\w-]+['’]s )other \w+",
                         re.IGNORECASE)  # "what are Camden's other missions?": the rest of a list
# A request for instructions: the guidance sets out approaches and examples, not procedures.
# "Step by step", "walk me through": a sequence of steps, which the guidance never sets out.
_STEPS_Q = re.compile(r"\bstep[- ]by[- ]step\b|\bwhat are the steps\b|\bwalk me through\b|\bthe steps (?:in|of|for|to)\b|\b(?:what|which) steps\b",
                      re.IGNORECASE)
_JOINING = r"sign up|register|apply|enrol|subscribe|join|joining|get onto|get on to|become a member|refer|bid for|bid"
_HOWTO_Q = re.compile(rf"{_STEPS_Q.pattern}|\bsteps (to|for)\b|\b(first|next|what|which) steps\b|"
                      r"\binstructions (for|on|to)\b|\bhow (do|can|should|would) (i|we)\b|"
                      rf"\bhow (?:do|does|can|could) (?:[\w'’-]+ ){{1,5}}?(?:{_JOINING})\b", re.IGNORECASE)
# "How can my parish council sign up to the Impact tool?": how to join or apply, which a sentence must say.
_JOIN_Q = re.compile(rf"\b(?:{_JOINING})\b", re.IGNORECASE)
_JOINS = re.compile(r"\b(sign(?:ing)? up|register\w*|appl(?:y|ying|ication)|enrol\w*|subscri\w+|join(?!(?:ed|ing|s)?[- ]up)\w*|membership|"
                    r"referr\w+|referred|contact|bids?|bidding)\b", re.IGNORECASE)
# "Can you explain how the doughnut model works?": how a model works, which the guidance only names (a scheme's
# description does say how it works: "How does Islington's social prescribing work?").
_WORKS_Q = re.compile(r"\bhow (?:does|do) (?:the )?(?:[\w'’-]+ ){0,3}?(?:model|framework|economics|theory) (?:actually )?work\b|"
                      r"\bexplain how\b.*\bworks?\b|"
                      r"\bhow (?:the )?(?:[\w'’-]+ ){1,4}?(?:model|framework|index|tool|scheme) (?:actually )?works\b|"
                      r"\b(?:dimensions|components|elements|parts) of (?:the )?(?:[\w'’-]+ ){0,4}?(?:model|framework|foundation|"
                      r"index|ceiling)\b", re.IGNORECASE)
_WORKS = re.compile(r"\b(works by|consists of|is made up of|comprises|is calculated|step (?:1|one))\b", re.IGNORECASE)
_STEPS = re.compile(r"\bstep (?:1|one)\b|\bfirst(?:ly)?,|\bthen\b.*\bfinally\b", re.IGNORECASE)
_CONTACT_Q = re.compile(r"\b(phone|telephone|e-?mail|postal|office|street|web|website) (number|address)\b|\bcontact details\b|"
                        r"\bpostcode\b|\baddress (of|for)\b|\bdownload link\b|\burl\b|\blink to (?:download|the (?:[\w'’-]+ ){0,4}?"
                        r"(?:report|infographic|document|guide|page|website|site|pdf|paper|briefing))\b", re.IGNORECASE)
# Socitm as an organisation (jobs, governance, events, joining): the guidance sets out positions, so a
# passage must name the very thing asked about ("is Socitm hiring?" needs a passage about hiring).
_ORG_Q = re.compile(r"\b(?P<what>hiring|recruiting|vacancies|code of conduct|constitution|trustees|agm|annual general "
                    r"meeting|head office|registered office|membership fees?|subscriptions?|webinars?|conferences?|"
                    r"board (?:members? )?(?:are |is )?elected|elected to the board|charity|charitable|company number|"
                    r"not[- ]for[- ]profit|annual report|annual accounts|awards?|membership benefits|"
                    r"become a member|training courses?|certifications?|accreditations?)\b", re.IGNORECASE)
_ROLES = (r"president|chair|chairman|chairwoman|chairperson|chief executive|ceo|director|head|leader|founder|secretary|"
          r"minister|treasurer|manager|mayor|councillor|mp|commissioner|chancellor|governor|officer|lead|authors?|"
          r"cabinet member|portfolio holder")
_ROLE_Q = re.compile(rf"\b(?:who(?: is| was| are| were|['’]s)|what(?: is|['’]s|s) the name of) (\w+['’]s |the )?(current |new |present |"
                     rf"first |previous |next )?(?:[\w-]+ ){{0,3}}?(?P<role>{_ROLES})\b", re.IGNORECASE)

# "What's the mayor's name?"
_ROLE_NAME_Q = re.compile(rf"\b(?:the|their|its|his|her) (?:[\w-]+ ){{0,2}}?(?P<role>{_ROLES})['’]s (?:full |first |sur)?name\b",
                          re.IGNORECASE)
# "Which cabinet member leads on it?"
_WHICH_ROLE_Q = re.compile(r"\bwhich (?:[\w-]+ ){0,2}?(?P<role>cabinet member|portfolio holder|councillor|officer|minister|mp|"
                           r"president|chair|chief executive|ceo|director)s?\b",
                           re.IGNORECASE)
_CONTACT = re.compile(r"\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|[\w.+-]+@[\w-]+\.[\w.]+|"
                      r"\bhttps?://|\bwww\.")
_MONEY = re.compile(r"\bfree of charge\b|\bfree to (use|join|access)\b|\bat no cost\b|\bno charge\b|[£$€]\s?\d[\d,.]*\d|[£$€]\s?\d|\b\d[\d,.]*\s?(k|m|bn|thousand|million|billion|pounds?|pence|p|gbp)\b", re.IGNORECASE)
# "The Cornwall Plan 2020-2050 sets out ...": the years of a document's name do not say when anything happens.
_NAMED_YEARS = re.compile(r"\b(Plan|Strategy|Vision|Programme|Agenda|Framework|Act|Report|Review) (?:19|20)\d\d(?:[-–](?:19|20)?\d\d)?\b")
# ... unless the question asks what years the document spans ("what years does their plan run over?").
_SPAN_Q = re.compile(r"\bwhat (?:years?|period|dates?) does (?:[\w'’-]+ ){0,6}?(?:run|runs|cover|covers|span|spans)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
# "When will the first pupils sit it?", "when is the review due?": a date still to come, which a sentence must set
_FUTURE_Q = re.compile(r"^\W*when (?:will|would)\b|\bwhen (?:is|are) (?:[\w'’-]+ ){1,6}?(?:due|expected|going to|set to)\b",
                       re.IGNORECASE)
_DEADLINE_Q = re.compile(r"\bdeadlines?\b|\bdue dates?\b|\bcut-?off\b", re.IGNORECASE)
_DEADLINE = re.compile(r"\b(by|deadline|until|before|no later than|due|closes?|closing)\b", re.IGNORECASE)
_YEAR_Q = re.compile(r"\b(what|which) (?:end |start |final |target )?years?\b|\byear (?:did|was|will|does|is)\b|\bmonth and year\b|"
                     r"\b(?:specific|particular|set|exact|firm) year\b", re.IGNORECASE)  # a year, not a day
_COUNT = re.compile(rf"(?<![\w-])(\d[\d,.]*\+?|{_NUMBER_WORDS})\b", re.IGNORECASE)  # not "Covid-19"
_PERCENT = re.compile(r"\d\s?%|\b(per ?cent|percentage|proportion|half|third|quarter)\b", re.IGNORECASE)
_DURATION = re.compile(r"\b(\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|"
                       r"fifty|several|many|few|multi)\+?[ -](years?|months?|weeks?|days?|hours?|minutes?|decades?)\b",
                       re.IGNORECASE)
_ORG_WORDS = frozenset(tokenize("council county borough city district authority metropolitan combined government "
                                 "department ltd limited plc trust"))  # "Nottinghamshire County Council" is new


_LABEL = re.compile(rf"\b({'|'.join(LABEL_WORDS)}|section|chapter|mission|page|covid)[ -]$", re.IGNORECASE)
_DATE = re.compile(rf"\b(1[89]|20)\d\d\b|\b({'|'.join(MONTHS + DAYS)})\b|"
                   r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(last|next) (week|month|year)\b", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:[-*•–]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+\S|^[^|\n]*\|[^\n]*\S", re.MULTILINE)
_NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}


def _when(pattern: re.Pattern[str], *unless: re.Pattern[str]) -> Callable[[str], str | None]:
    """A question asks for the kind (detail "") when `pattern` matches and none of `unless` does."""
    return lambda q: "" if pattern.search(q) and not any(u.search(q) for u in unless) else None


def _has(pattern: re.Pattern[str]) -> Callable[[str, str], bool]:
    """A text holds the kind when `pattern` matches it."""
    return lambda text, detail: bool(pattern.search(text))


_WHICH_OF_N = re.compile(rf"\bwhich (?:of the )?(\d{{1,3}}|{_NUMBER_WORDS}) \w+", re.IGNORECASE)  # not "the 2011 principles"


def _list_size(question: str) -> str | None:
    """"list all 12 missions", "which of the 12 missions covers transport?": the number of items asked for,
    when it is three or more ("list them all": 3)."""
    if w := _WHICH_OF_N.search(question):
        size = int(w.group(1)) if w.group(1).isdigit() else _NUMBERS.get(w.group(1).lower(), 0)
        if size >= 3:
            return str(size)
    m = LIST_Q.search(question)
    n = m.group("n").lower() if m else ""
    size = int(n) if n.isdigit() else _NUMBERS.get(n, 0)
    return str(size) if size >= 3 else "3" if not m and _LIST_ALL_Q.search(question) else None


def _numbers(text: str) -> Iterator[re.Match[str]]:
    """The numbers of a text that count something: not years, nor a label's number ("Scope 1", "Phase 2")."""
    return (m for m in _COUNT.finditer(text) if not _YEAR.fullmatch(m.group(0)) and not _LABEL.search(text[:m.start()]))


def _counted(text: str, detail: str) -> bool:
    """A number that counts something."""
    return any(True for _ in _numbers(text))


def counts_noun(text: str, counted: set[str]) -> bool:
    """A number of the counted thing: "set out four missions" counts missions, not the council that set them."""
    return any(set(tokenize(text[m.end():m.end() + 80])[:6]) & counted for m in _numbers(text))


def _without_plan_years(text: str) -> str:
    """The text without the years of a plan's name ("the Cornwall Plan 2020-2050", "Digital Vision 2030")."""
    return _NAMED_YEARS.sub("", text)


def _dated(text: str, detail: str) -> bool:
    """A date; for "what years does it run over" the years of a plan's name do; for "by what year", a year."""
    if detail == "span":
        return bool(_DATE.search(text))
    if detail == "deadline" and not _DEADLINE.search(text):  # "3 February provided an opportunity" sets none
        return False
    text = _without_plan_years(text)
    return bool((_YEAR if detail == "year" else _DATE).search(text))


def _figure(text: str) -> bool:
    """A number, a date or a percentage."""
    return bool(_COUNT.search(text) or _DATE.search(text) or _PERCENT.search(text))


def _sums(text: str) -> list[str]:
    """The sums of money in a text as their digits ("£1.4 million": "1.4"; "free of charge": "")."""
    return [re.sub(r"[^\d.]", "", m.group(0)).strip(".") for m in _MONEY.finditer(text)]


def _amounts(text: str) -> set[str]:
    """The sums of money a question gives."""
    return set(_sums(text)) - {""}


def _money_held(text: str, detail: str) -> bool:
    """A sum of money (or "free of charge") that the question did not already give ("how much of the £1.4
    million went to the Croydon club?" is not answered by "£1.4 million"); "each" needs an amount each."""
    asked = set(detail.split()) - {"each"}
    return any(s not in asked for s in _sums(text)) and ("each" not in detail.split() or bool(_EACH_Q.search(text)))


# "Which departments own the missions?": bodies, with a verb in the plural (not "people who lead services").
_BODIES_DO_Q = re.compile(r"\bwhich (?:[\w-]+ ){0,2}?(?:departments|ministries|bodies|organisations|companies|firms|trusts) "
                          r"(?P<verb>own|lead|run|fund|manage|oversee)\b", re.IGNORECASE)


def _agent_asked(question: str) -> str | None:
    """The verb of "who chairs ...", with the terms of the names the question gives after "@" ("who designated
    Bicester?": "designated@bicest")."""
    m = _AGENT_Q.search(question) or _BODIES_DO_Q.search(question)
    verb = m.group("verb").lower() if m else "wrote" if _WROTE_Q.search(question) else None
    names = " ".join(sorted({t for n in capitalised_names(question) for t in tokenize(n)}))
    return f"{verb}@{names}" if verb and names else verb


def _agent_named(text: str, detail: str) -> bool:
    """"chaired by Jane Smith", "the LCIOC chair, Jane Smith": the verb's word and a name the question does not
    give ("Designated 2016, the Bicester HNT ..." does not say who designated Bicester)."""
    verb, _, asked = detail.partition("@")
    given = set(asked.split())
    return bool(re.search(rf"\b({_AGENT.get(verb, verb)})\b", text, re.IGNORECASE)) and any(
        not set(tokenize(m.group(0))) <= given for m in re.finditer(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+", text))


def list_size_told(told: str) -> int:
    """"Name them all" after an answer that said "the 12 missions": the largest count (under 100, not a year)
    in what the member was told, or 3."""
    sizes = [int(n) if n.isdigit() else _NUMBERS.get(n.lower(), 0) for n in re.findall(r"\b(\d{1,2}|[a-z]+)\b", told)
             if n.isdigit() or n.lower() in _NUMBERS]
    return max([3, *[n for n in sizes if n < 100]])


def asks_for_product(question: str) -> bool:
    """"What software did they use?": a product or supplier (not "which council", which a previous answer may
    already have named)."""
    m = _WHICH_NAME_Q.search(question)
    return bool(_PRODUCT_Q.search(question) or m and m.group(1).lower() in _INSTITUTIONS)


_PLACE_NOUNS = frozenset("council councils borough boroughs authorities cities towns regions counties neighbourhoods communities wards "
                          "streets areas".split())
# Institutions, which a place does not name: "which schools are piloting it?" is not answered by "Greater Manchester".
_INSTITUTIONS = frozenset("schools colleges college hospitals surgeries practices charities".split())
_PLACE = "@place"  # in a product question's detail: it asks for a place ("which councils ...")
_NOT_PLACE = "@named"  # ... or for a product, firm or club, which a place is not ("the name of the club in Croydon")
_PLACE_WORDS = "Council|Borough|City|County|District|Metropolitan"


_LIST_PLACES_Q = re.compile(r"\b(?:list|name) (?:the |all (?:the )?|them all|the \w+ )?(councils|boroughs|authorities|cities|"
                            r"towns|areas)\b", re.IGNORECASE)  # "can you list the councils whose strategies it used?"


def _product_asked(question: str) -> str | None:
    """The question's terms, when it asks for a product, a supplier or a body by name; with _PLACE when that is
    a council or a place."""
    m = _WHICH_NAME_Q.search(question) or _LIST_PLACES_Q.search(question)
    given = set(tokenize(question))
    if asks_for_product(question) and not (m and m.group(1).lower() in _PLACE_NOUNS):  # "which specific councils"
        return " ".join([_NOT_PLACE, *sorted(given)])
    if m:
        place = [_PLACE] if m.group(1).lower() in _PLACE_NOUNS else []
        return " ".join(place + sorted(given))
    return None


def _shortened(short: str, terms: set[str]) -> bool:
    """Is the short form made of the starts of the question's words, some left out: "MBacc" for the Greater
    Manchester Baccalaureate, "LVEP" for the Liverpool Local Visitor Economy Partnership?"""
    if not short:
        return True
    return len(short) <= 10 and any(t[:1] == short[:1] and any(
        _shortened(short[n:], terms - {t}) for n in range(len(os.path.commonprefix([t, short])), 0, -1)) for t in terms)


def _new_name(text: str, detail: str) -> bool:
    """A name the question does not already hold ("they use Liquidlogic"); for "which organisations", a list of
    kinds of body does ("local authorities, police, fire services and health partners")."""
    asked = set(detail.split()) | {"socitm"}
    # "East Riding of Yorkshire Council" is one name; months and numbered labels ("December", "Scope 1") are none
    joined = re.sub(r"(?<=[a-z]) (?:of|upon) (?=[A-Z])", " ", text)
    groups = name_groups(joined)
    if _PLACE in asked:  # "which councils ...": a place's name, not a capitalised title
        groups = [g for g in groups if _place_named(joined, g)]
    if _NOT_PLACE in asked:  # "the name of the club": not "boxing clubs in Lambeth" (but "the Scottish Government"),
        # nor a plan's title ("Blackpool's Digital Vision 2030", "the Cornwall Plan 2020-2050")
        groups = [g for g in groups if (not _place_named(joined, g) or set(tokenize(g)) & _ORG_WORDS)
                  and not _NAMED_YEARS.search(f"{g} 2000") and not re.search(rf"\b{re.escape(g)} (?:19|20)\d\d\b", joined)]
    # a name's short form is given with it ("the LVEP", "the MBacc"), and so is the name of an acronym given
    groups = [" ".join(w for w in g.split() if not (sum(c.isupper() for c in w) >= 2 and _shortened(w.lower(), asked)))
              for g in groups]
    groups = [g for g in groups if len(a := "".join(w if w.isupper() else w[:1] for w in g.split()
                                                   if w not in ("The", "A", "An")).lower()) < 3 or a not in asked]
    named = [set(tokenize(n)) - _ORG_WORDS - _NOT_NAMES for n in groups]
    # a place may share a word with the question ("which Yorkshire council": "East Riding of Yorkshire" is new)
    if any(words - asked if _PLACE in asked else words and not words & asked for words in named):
        return True
    return bool(asked & _BODIES) and text.count(",") >= 2 and len(set(tokenize(text)) & _BODY_KINDS) >= 2


def _place_named(text: str, group: str) -> bool:
    """Is the run of capitalised words a place as the text writes it: a known place ("Hampshire"), a council's
    name ("Camden Council"), a place's own ("Luton's observatory"), or after "in", "at", "from" ("in Croydon",
    "in Lambeth and Southwark")?
    Not a title ("Championing place-based recovery", "Planting the Flag")."""
    words = group.split()
    if any(w.lower() in NAMES for w in words) or any(says_phrase(plain_text(group), p) for p in PLACES):
        return True
    g = re.escape(group)
    listed = r"(?:[A-Z][\w'’-]*(?: [A-Z&][\w'’-]*)*(?:,| and|, and| &) )*"  # "in Newham, Waltham Forest, Merton"
    return bool(re.search(rf"\b{g}(?:['’]s\b| (?:{_PLACE_WORDS})\b)|\b(?:in|at|from|across) {listed}{g}\b", text)) \
        or words[-1] in _PLACE_WORDS.split("|")


_BODIES = frozenset(tokenize("organisations bodies agencies partners"))
# Kinds of body a list names ("local authorities, police, fire services and health partners"), not "destination
# management, strong stakeholder relationships, ...".
_BODY_KINDS = frozenset(tokenize("authorities councils police fire health nhs partners businesses universities colleges "
                                 "schools charities agencies services sector organisations government departments "
                                 "voluntary community housing associations providers trusts industry academia"))
_NOT_NAMES = frozenset(tokenize(" ".join(MONTHS + DAYS + LABEL_WORDS)))


def _person(text: str, detail: str) -> bool:
    """"Jane Smith": a first name and a surname."""
    return any(m.group(1).lower() in NAMES for m in re.finditer(r"\b([A-Z][a-z]+) [A-Z][a-z'’-]+", text))


_CONTRACTED = re.compile(r"\b(what|who|when|where|how|which)(?:['’]s|s)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Kind:
    """A kind of fact: the detail a question asking for it needs (None when it does not ask), and whether a
    sentence (for "list", a passage) holds it."""
    name: str
    asked: Callable[[str], str | None]
    held: Callable[[str, str], bool]


# In the order a question's kinds are checked (the first one missing is the reason given).
KINDS = (
    # an office-holder: the office and a person's name ("Socitm's president, Sam Smith")
    Kind("role", lambda q: m.group("role").lower()
         if (m := _ROLE_Q.search(q) or _ROLE_NAME_Q.search(q) or _WHICH_ROLE_Q.search(q)) else None,
         lambda text, detail: bool(set(tokenize(detail)) & set(tokenize(text))) and _person(text, detail)),
    Kind("agent", _agent_asked, _agent_named),
    Kind("money", lambda q: " ".join(["each"] * bool(_EACH_Q.search(q)) + sorted(_amounts(q))) if _MONEY_Q.search(q)
         else None, _money_held),
    Kind("percent", _when(_PERCENT_Q), _has(_PERCENT)),
    Kind("list", _list_size, lambda text, detail: len(_ITEM.findall(text)) >= int(detail or 0)),
    Kind("count", _when(_COUNT_Q, LIST_Q, _HOW_MANY_UNITS, _WHERE_Q), _counted),
    Kind("date", lambda q: ("span" if _SPAN_Q.search(q) else "year" if _YEAR_Q.search(q) else "deadline"
                            if _DEADLINE_Q.search(q) or _FUTURE_Q.search(q) else "") if _DATE_Q.search(q) else None, _dated),
    Kind("then", lambda q: "" if _THEN_Q.search(q) and (_COUNT_Q.search(q) or _MONEY_Q.search(q) or _PERCENT_Q.search(q))
         else None, lambda text, detail: bool(_THEN.search(text)) and (_counted(text, detail) or bool(_MONEY.search(text))
                                           or bool(_PERCENT.search(text)))),
    Kind("institution", lambda q: m.group("what").lower()[:6] if (m := _INSTITUTION_Q.search(q)) else None,
         lambda text, detail: bool(re.search(rf"\b{detail.capitalize()}\w*", text))),
    Kind("frequency", _when(_FREQUENCY_Q), _has(_FREQUENCY)),
    Kind("duration", lambda q: _when(_DURATION_Q)(q) if _HOW_MANY_UNITS.search(q) or not _COUNT_Q.search(q) else None,
         _has(_DURATION)),
    Kind("product", _product_asked, _new_name),
    # a figure is a number of any kind, a year included ("net zero by 2035")
    Kind("measure", lambda q: _unit_asked(q) if (_MEASURE_Q.search(q) or _SPEED_Q.search(q)) and not _COUNT_Q.search(q)
         else None, _measured),  # "in tonnes", "what score" (not "Digital Vision 2030"; a count asks the same of its own)
    Kind("comparison", _when(_COMPARE_Q), _has(_COMPARE)),
    Kind("figure", _when(_TARGET_Q, _DATE_Q),  # not the years of a plan's name ("the Cornwall Plan 2020-2050")
         lambda text, detail: _figure(_without_plan_years(text))),
    Kind("outcome", _when(_OUTCOME_Q), _has(_OUTCOME)),
    Kind("ranking", _when(_RANKING_Q), _has(_RANKING)),
    Kind("findings", lambda q: "" if _FINDINGS_Q.search(q) else _argued(q), _has(_FINDINGS)),
    Kind("people", _when(_PEOPLE_Q), _person),
    Kind("eligibility", _when(_ELIGIBLE_Q), _has(_ELIGIBLE)),
    Kind("prediction", _when(_PREDICT_Q), _has(_PREDICT)),
    Kind("advice", _when(_ADVICE_Q), _has(_ADVICE)),
    Kind("selection", _when(_CHOSEN_Q), _has(_CHOSEN)),
    Kind("age", _when(_AGE_Q), _has(_AGE)),
    Kind("location", _when(_WHERE_AT_Q), _has(_WHERE_AT)),
    Kind("travel", _when(_TRAVEL_Q), _has(_TRAVEL)),
    Kind("contents", _includes_asked, _included),
    Kind("definition", _when(_DEFINITION_Q), _has(_DEFINITION)),
    Kind("criticism", _when(_CRITIC_Q), _has(_CRITIC)),
    Kind("monitoring", _when(_MONITOR_Q), _has(_MONITOR)),
    Kind("workings", _when(_WORKS_Q), _has(_WORKS)),
    Kind("legal", _when(_LEGAL_Q), _has(_LEGAL)),
    Kind("contact", _when(_CONTACT_Q), _has(_CONTACT)),
    # any sentence, if it speaks to the question; "step by step" a sequence of steps, which the guidance never sets out
    Kind("howto", lambda q: ("steps" if _STEPS_Q.search(q) else "join" if _JOIN_Q.search(q) else "")
         if _HOWTO_Q.search(q) else None,
         lambda text, detail: bool(_STEPS.search(text)) if detail == "steps" else bool(_JOINS.search(text))
         if detail == "join" else True),
    Kind("organisation", lambda q: m.group("what").lower() if (m := _ORG_Q.search(q)) else None,
         lambda text, detail: set(tokenize(detail)) <= set(tokenize(text))),
)
_KIND = {k.name: k for k in KINDS}


def wanted_kinds(question: str) -> list[tuple[str, str]]:
    """Every kind of fact a question asks for, as (kind, detail), in the order of KINDS.

    "When was the LCIOC set up and who chairs it?" asks for two: a date and an agent.
    """
    question = _CONTRACTED.sub(lambda m: m.group(1) + " is", question)  # "what's its target?"
    return [(k.name, detail) for k in KINDS if (detail := k.asked(question)) is not None]


def holds(text: str, kind: str, detail: str = "") -> bool:
    """Does a sentence (for "list", a passage) hold the kind of fact asked for?"""
    return _KIND[kind].held(text, detail)
