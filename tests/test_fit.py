"""A direct answer answers *this* question (qa/fit.py, issue 33): the answer type, the relation and the question's
constraints hold in the cited sentence, or the reply refuses and says what is missing. spaCy's packaged English
model parses; the articles are ingested for real."""

from __future__ import annotations

from dataclasses import replace

import pytest

from index import Chunk, Sentence
from qa.assistant import FITTED, _fits
from qa.evidence import Evidence, opening
from qa.fit import _family, _named, aligned, asked, held_only, misfit, typed
from qa.nlp import parse
from qa.records import Hit
from qa.rewrite import as_question
from qa.short import _candidates, _stated_amounts, entity, holds_role, quantity, quantity_unit, quoted_titles, role
from qa.text import kind_of, name_spans
from tests.test_formats import docx_bytes
from tests.test_short_answers import _evidence, ask, over

FINAL = "Iga Swiatek defeated Jasmine Paolini 6-2, 6-1 in the final on Saturday to win the 2024 French Open women's singles title."
NOISE = (
    "Jasmine Paolini lost the 2024 French Open women's singles final on Saturday, the Italian's first Grand Slam final."
)

KENWRIGHT = (
    "In February 2016, Kenwright sold a 49.9% stake in Everton to Iranian businessman Farhad Moshiri, who increased "
    "his shares to 94% in January 2022."
)
DIVORCE = "Will - who divorced his first wife, Sheree Zampino, in 1994 - has also shared similar sentiments."
TIER = "The move places the EU on the same diplomatic tier with Vietnam as the United States, China, and Russia."
CODE = "The 2024 Code Conference took place at the Ritz-Carlton in Laguna Niguel, California."
MURATI = "OpenAI named Mira Murati, its chief technology officer, interim CEO."
CUBIC = "SoftBank Corp. will pay €473 million for the deal with Cubic Telecom."
CEASE = "Three teams are discussing a deal for Cease as the 2024 winter meetings begin."
BRACE = "Tessa Wullaert’s brace fired Belgium to a dramatic 3-2 home win over England in League A1."
STUDIO = (
    "But it wasn’t a mistake or luck that made Lies of P, and it wasn’t FromSoftware, either; it was a talented "
    "group of developers at Neowiz Games and Round8 Studio that took a tired genre."
)
PREMIERE = (
    "Though “Renaissance” did not come close to matching the $92.8 million debut of “Taylor Swift: The Eras Tour” in "
    "October, it’s still a very good start for a concert film."
)
BOX = "“Renaissance: A Film by Beyoncé,” $21 million."
WISH = "The Yankees reportedly are pushing hard to acquire Juan Soto from the Padres, but Heyman says they haven't."
TRADED = "The Padres traded Juan Soto to the Yankees on Wednesday."
HIRED = "Michigan State has hired Jonathan Smith as its next football coach, the school announced on Saturday."
REPLACED = "Oregon State hired Mike Johnson on Friday to replace Jonathan Smith as head coach."
OLED = "The Steam Deck OLED starts at $549, and will replace all but the entry-level model in the range."
BOARD = "Final score Goalscorers Man United 2 McTominay 19', 70' Chelsea 1 Palmer 45'"
WINNER = "Scott McTominay scored the winner for Manchester United against Chelsea."
DEFER = "Ohtani will defer a whopping $680 million of his $700 million contract from the Dodgers."
APPROVALS = "Wegovy followed its siblings: Victoza was FDA-approved in January 2010 and Ozempic was FDA-approved in December 2017."
TRY = (
    "And rather than try for a go-ahead, 54-yard field goal, the Bears opted for a Hail Mary from the Browns' 37 with "
    "no time left in the first half, leading to Fields' first interception."
)
SCHEDULE = "Baltimore Ravens (11-3) at San Francisco 49ers (11-3) | 8:15 p.m."
NAMED = "Taylor Swift has officially been named Time’s 2023 Person of the Year."
RUSH = "The rhythm-based action game Hi-Fi Rush took the prize for audio design and won the award."
SHOPIFY = "Shopify had acquired Deliverr in May 2022 for $2.1 billion."
FLEXPORT = "Flexport paid $1.3 billion for Shopify's Deliverr business."
PSAGOT = "In 2021, Rani Zim bought Psagot Investment House for NIS 405 million from Altshuler Shaham."
WORTH = "The stake through which Zim bought Psagot Investment House is currently worth just NIS 64 million."
DEAL = (
    "Though the $69 billion Activision Blizzard deal was the biggest in Microsoft’s history, it wasn’t the company’s "
    "first video game acquisition."
)
UPGRADE = "On January 29, 2026, the European Union and Vietnam elevated their relationship to a strategic partnership."
TOUR = (
    "The 39-city “Renaissance” tour, which kicked off in Stockholm in May and ended in Kansas City, made $500 million."
)
SEA = "The EU stressed stability in the South China Sea, where Vietnam faces overlapping territorial claims with China."
APPLAUD = "Harry Kane (centre) and his Bayern Munich teammates applaud fans after their Champions League victory at Old Trafford."
FORCE = (
    "The agreement builds on growing trade and investment links since the EU–Vietnam Free Trade Agreement entered "
    "into force in 2020."
)
MAYO_AZ = "Richard Gray, CEO of Mayo Clinic Arizona, announced the hire on LinkedIn."
MAYO = "Gianrico Farrugia, CEO of Mayo Clinic, announced the hire on LinkedIn."
HSC = "Hipgnosis Songs Capital made a proposal to buy 29 of the fund’s catalogs for $440 million."
HOME = "The action game Hi-Fi Rush was nominated for a number of categories and ultimately took home the prize for audio design."
OPENED = "The concert film opened in first place with $21 million in North American ticket sales."
PREDICT = (
    "Adobe Analytics is predicting $37.2 billion in online spend for the full five days, up just 5.4% year on year "
    "and accounting for 16.8% of all holiday spend."
)
BINANCE = "Binance launched in June 2017 and within 180 days became the largest crypto exchange in the world."
HUAWEI = "Huawei entered Vietnam's telecom market in 2025, when Hanoi awarded the 5G contracts."
MALAGA = "Instead, in the Davis Cup final in Malaga, Australia will face an Italy team running hot on Sinner's heroics."
PRUCKER = "Scalable Capital is bigger now, according to co-CEO Erik Podzuweit, who co-founded it with Florian Prucker."
HELPED = "Erik Podzuweit founded Scalable Capital in 2014 with help from Florian Prucker."
DRUGS = (
    "Lecanemab, which is produced by Japanese pharmaceutical company Eisai, and donanemab, produced by Eli Lilly "
    "of the US, are the first medicines to achieve this."
)
FOOTWEAR = "During the quarter, footwear sales rose 4% to $8.4 billion, making up about 68% of Nike's total sales."
INFORMATION = "According to The Information, Mira Murati was named interim CEO when OpenAI pushed out Sam Altman."
HALLER = (
    '"Jonathan has a proven track record of success," said Michigan State athletic director Alan Haller in '
    "announcing the hire."
)
ASOS = "José Antonio Ramos Calamonte, ASOS's chief executive, said in the report that the company has made progress."
FIRED = "After joining the Wild, he earned a promotion to head coach when the Wild fired Bruce Boudreau."
NOBEL = "On Monday, Katalin Karikó and Drew Weissman won the Nobel Prize in medicine for their discoveries."
BUDGET = "The film starring Joaquin Phoenix has now made $45.7 million domestically against a $200 million budget."
GROUP = (
    "Bayern Munich coasted into the knockout rounds but Copenhagen and Manchester United entered the final matchweek."
)
LEGACY = "All of Beaver Nation should thank him for the legacy he has left to his alma mater."
TEMU = (
    "Temu, the Chinese e-commerce company whose app is now attracting longer engagement times than Amazon, is "
    "Apple's most downloaded free app in the U.S. for 2023."
)
THREADS = (
    "Gone from the charts is Facebook, while Meta's new app Instagram Threads was the No. 3 app by U.S. downloads."
)
EDGED = "With Ireland sent home by the All Blacks, the Springboks edged the hosts 29-28 at the Stade de France."
TOPPLED = "The Brisbane Lions have toppled AFLW heavyweights Melbourne by 25 points to clinch a place in the finals."
MIYAKAWA = (
    '"We are pleased to be teaming up with Cubic Telecom," said Junichi Miyakawa, president & CEO of SoftBank Corp.'
)
BUCKEYES = "The difference between those Buckeyes and this Florida State team was that Ohio State won the title game."
OHANIAN = (
    "The first deliveries, in which customers like Reddit co-founder Alexis Ohanian took possession of the truck, "
    "occurred at the Tesla Gigafactory in Austin."
)
SOLD = "In September, owner Moshiri agreed to sell his 94% stake to American investment fund 777 Partners."
LOST = "Medvedev lost to Djokovic in the final."
TENG = (
    "Richard Teng, Binance’s former global head of regional markets, will be the exchange’s new CEO, Zhao shared in a "
    "post on X Tuesday afternoon."
)
LIM = "CFTC also filed a suit against Binance, Zhao and its Chief Compliance Officer Samuel Lim."
MURATI = "Brockman alleges that Mira Murati, OpenAI’s CTO and now interim CEO, was informed on Thursday night."
BUMBLE = "Bumble announced this week it is replacing founder CEO Whitney Wolfe Herd with Slack CEO Lidiane Jones."
DAYE = (
    "The STI testing service is being launched in the U.K. first — at a cost of £99 a pop — with the US slated to get "
    "the service “soon”."
)
UBISOFT = 'Ubisoft has signed a deal giving it "cloud gaming" rights for every Activision Blizzard game.'
IOT = "We are pleased to be teaming up with Cubic Telecom to make a full-fledged entry into the IoT business."
SNAP = "Snap spent more than $200 million to acquire Zenly and kept the same team to iterate on it, as a separate app."
MELTWATER = "Meltwater — which was founded in Norway but now calls San Francisco its headquarters — is growing."
OWNERSHIP = "Under Snap’s ownership, Zenly became one of Europe’s biggest social apps of all time."
RAISED = "Scalable Capital has raised €60 million in equity."
STAKE_TAKEN = "SoftBank is taking a 51% stake in Cubic Telecom, valuing it at just over $1 billion."
RATCLIFFE = "5 Sir Jim Ratcliffe has an offer on the table for 25 per cent stake of Manchester United Credit: AFP"
MISSGUIDED = (
    "Shein has acquired UK company Missguided, with plans to reignite the online retailer that was only bought out"
    " of administration by Mike Ashley’s Frasers Group a year and a half ago."
)
HYNES = "The Athletic reports the Wild will be naming former Devils bench boss John Hynes as Evason's successor."
RELIEVED = "The Wild have relieved head coach Dean Evason and assistant coach Bob Woods of their duties."
LIONS = "Detroit improved to 9-3, their best record through 12 games since they went 10-2 in 1962."
FRIENDLY = (
    "Lionel Messi and Cristiano Ronaldo will meet in a club friendly between Inter Miami and Al Nassr in Riyadh, "
    "Saudi Arabia on Thursday, February 1 with kickoff at 1 p.m."
)
KICK = "Dustin Hopkins kicked the go-ahead field goal for the Browns against the Bears."
BETTS = "Unlike Shohei Ohtani, Mookie Betts has $115 million deferred in his 12-year, $365 million contract with the Dodgers."
KIMBREL = "The Orioles are bolstering their bullpen, signing Craig Kimbrel to a one-year, $13 million deal."
TO_LAM_2020 = (
    "The agreement follows the recent reappointment of To Lam as Vietnam’s top leader of the ruling Communist Party "
    "and builds on growing trade links since the EU–Vietnam Free Trade Agreement entered into force in 2020."
)
ULMER = (
    "Edgar Ulmer was a prolific director in the Classic Hollywood era and directed The Black Cat, the first movie to "
    "star horror legends Bela Lugosi and Boris Karloff."
)
MCTOMINAY = (
    "Manchester United got themselves back to winning ways thanks to a superb Scott McTominay brace against Chelsea."
)
CONCERT_DEBUTS = (
    "Prior to Swift, the biggest concert film debuts (titles held by Miley Cyrus and Justin Bieber for their 2008 and "
    "2011 films) had not surpassed $32 million."
)
AMC_DEALS = (
    "Swift and Beyoncé are heading into cinemas in deals made directly with AMC Theaters that circumvent studios."
)
ERAS_GROSS = "Taylor Swift's concert film, the Eras Tour movie, has surpassed $250m at the global box office."
FAN_GROUPS = "Inter Miami fan news: the 5 supporters’ groups threatened to stage a protest over the ticket price hike."
MAYO_CAIO = "Radiologist Bhavik Patel, M.D., has been named chief artificial intelligence officer (CAIO) for Mayo Clinic Arizona."


@pytest.mark.parametrize(
    ("question", "kind", "answer", "sentence", "fits"),
    [
        ("Who won the 2024 French Open women's singles title?", "who", "Iga Swiatek", FINAL, True),
        ("Who won the 2024 French Open women's singles title?", "who", "Jasmine Paolini", FINAL, False),  # the loser
        ("Who did Swiatek beat in the final?", "who", "Jasmine Paolini", FINAL, True),
        ("Who won the 2019 women's singles title?", "who", "Iga Swiatek", FINAL, False),  # another year
        ("Who won the men's singles title?", "who", "Iga Swiatek", FINAL, False),  # another category
        ("Who won the 2024 French Open women's singles title?", "who", "Jasmine Paolini", NOISE, False),  # lost
        (  # a later relation is not the one asked: awarding contracts is not entering a market
            "When did Huawei first enter Vietnam's telecom market?",
            "date",
            "2025",
            "Hanoi awarded 5G construction contracts to Chinese companies, including Huawei, in 2025.",
            False,
        ),
        (  # a plan is not a fact
            "How many monthly active users does Deft have?",
            "number",
            "50,000",
            "The startup said it is on track to hit 50,000 monthly active users by the end of this year.",
            False,
        ),
        (  # the amount of someone else's deal
            "How much did Flexport pay for Deliverr?",
            "number",
            "$2.1 billion",
            "Shopify had acquired Deliverr in May 2022 for $2.1 billion.",
            False,
        ),
        (
            "How much did Flexport pay for Deliverr?",
            "number",
            "$1.3 billion",
            "Flexport paid $1.3 billion for Deliverr, the company said.",
            True,
        ),
        (  # "the EU and Vietnam" sign together: the EU did not sign for Vietnam
            "Who signed the joint statement on behalf of Vietnam?",
            "who",
            "European Union",
            "The European Union and Vietnam are set to sign a joint statement on Thursday.",
            False,
        ),
        # another verb on the question's object states another relation; the object alone may state it
        ("Who agreed to buy Farhad Moshiri's 94% stake in Everton?", "who", "Bill Kenwright", KENWRIGHT, False),
        ("When did Will Smith marry his first wife?", "date", "1994", DIVORCE, False),
        ("Which Belgian player hit a brace against England?", "who", "Tessa Wullaert", BRACE, True),
        ("Which countries hold the same diplomatic tier with Vietnam as the EU?", "which", "China", TIER, True),
        # what the sentence says it is not
        ("Which studio developed Lies of P?", "which", "FromSoftware", STUDIO, False),
        ("Which studio developed Lies of P together with Round8 Studio?", "which", "Neowiz Games", STUDIO, True),
        # a passive support verb says nothing the type and names do not; an active one still must be stated
        ("Where was the 2024 Code Conference held?", "which", "Laguna Niguel", CODE, True),
        ("Who was put in charge of OpenAI as interim CEO?", "who", "Mira Murati", MURATI, True),
        ("Give the size of the stake SoftBank Corp. took in Cubic Telecom.", "number", "€473 million", CUBIC, False),
        (
            "How many passing yards did Brock Purdy have in 2024?",
            "number",
            "314",
            "Brock Purdy threw for 314 yards.",
            True,
        ),
        # a name written by its surname is typed where the sentence writes it
        ("Where were the 2024 MLB Winter Meetings held?", "which", "Dylan Cease", CEASE, False),
        # a quoted title is not the person asked for
        ("Who directed the Taylor Swift: The Eras Tour concert film?", "who", "Renaissance", PREMIERE, False),
        # an amount of what the question measures
        ("What was the production budget of Renaissance: A Film by Beyoncé?", "number", "$21 million", BOX, False),
        # "did" is no verb: the question asks who was traded, hired; its names keep their parts in the sentence
        ("Which team did the Padres trade Juan Soto to?", "which", "Yankees", WISH, False),
        ("Which team did the Padres trade Juan Soto to?", "which", "Yankees", TRADED, True),
        ("Who did Oregon State hire to replace Jonathan Smith as head coach?", "who", "Michigan State", HIRED, False),
        ("Who did Oregon State hire to replace Jonathan Smith as head coach?", "who", "Mike Johnson", REPLACED, True),
        ("Who did Djokovic beat in the final?", "who", "Sinner", "Sinner beat Djokovic in the final.", False),
        ("Who did Djokovic beat in the final?", "who", "Medvedev", "Djokovic beat Medvedev in the final.", True),
        # what a thing costs is any price of it
        ("How much does the cheapest Steam Deck OLED cost?", "number", "$549", OLED, True),
        # a heading holding the relation's agent noun is no name
        ("Who scored both goals for Manchester United against Chelsea?", "who", "Goalscorers Man United", BOARD, False),
        ("Who scored the winner for Manchester United?", "who", "Scott McTominay", WINNER, True),
        # the object "winner" is a goal: a victory does not state it
        ("Who scored Bayern Munich's winner at Old Trafford?", "who", "Harry Kane", APPLAUD, False),
        # "how much of his contract": the contract's own size is not the part asked
        ("How much of his Dodgers contract is Shohei Ohtani deferring?", "number", "$700 million", DEFER, False),
        # the date of a sibling, in the passive as in the active
        ("When was Wegovy approved by the FDA?", "date", "January 2010", APPROVALS, False),
        ("When was Wegovy approved by the FDA?", "date", "December 2017", APPROVALS, False),
        (
            "When was Wegovy approved by the FDA?",
            "date",
            "June 2021",
            "Wegovy was approved by the FDA in June 2021.",
            True,
        ),
        # a team's name ("49ers") is no relation; trying for a field goal kicks none (and a field goal is no hope)
        ("who won 49ers vs ravens", "who", "Deebo Samuel", "21 Deebo Samuel, 49ers vs.", False),
        ("who won 49ers vs ravens", "who", "San Francisco", SCHEDULE, False),
        ("Who kicked the go-ahead field goal for the Browns against the Bears?", "who", "Justin Fields", TRY, False),
        ("Who kicked the go-ahead field goal for the Browns against the Bears?", "who", "Dustin Hopkins", KICK, True),
        # a wh-word is no name's: "Which star Time chose" asks whom Time chose
        ("Which star Time chose as its Person of the Year for 2023?", "which", "Taylor Swift", NAMED, True),
        # the sentence calls the name what is asked ("the action game Hi-Fi Rush")
        ("Which game won the audio design award?", "which", "Hi-Fi Rush", RUSH, True),
        # what another party paid, or what the party asked about was paid, is not what it paid
        ("What price did Flexport pay for Shopify's Deliverr business?", "number", "$2.1 billion", SHOPIFY, False),
        ("What price did Flexport pay for Shopify's Deliverr business?", "number", "$1.3 billion", FLEXPORT, True),
        ("How much had Altshuler Shaham paid when it bought Psagot?", "number", "NIS 405 million", PSAGOT, False),
        ("How much did Rani Zim pay for Psagot Investment House?", "number", "NIS 405 million", PSAGOT, True),
        ("How much did Rani Zim pay for Psagot Investment House?", "number", "NIS 64 million", WORTH, False),
        ("How much did Microsoft spend buying Activision Blizzard?", "number", "$69 billion", DEAL, True),
        ("When did the EU and Vietnam upgrade their relationship?", "date", "January 29, 2026", UPGRADE, True),
        # the role held of another organisation: a regional CEO, another company's
        ("Who is the CEO of the Mayo Clinic health system?", "who", "Richard Gray", MAYO_AZ, False),
        ("Who is the CEO of Mayo Clinic?", "who", "Gianrico Farrugia", MAYO, True),
        (
            "Who is the CEO of Bumble?",
            "who",
            "Lidiane Jones",
            "Slack CEO Lidiane Jones is leaving to run Bumble.",
            False,
        ),
        ("Who is the CEO of Apple?", "who", "Tim Cook", "Apple CEO Tim Cook said sales rose.", True),
        # an idiom's noun states the relation: "entered into force" is taking effect
        ("In what year did the EU–Vietnam Free Trade Agreement take effect?", "date", "2020", FORCE, True),
        # a place is where the event the question names happened
        ("In which city did the Renaissance world tour kick off?", "which", "Stockholm", TOUR, True),
        ("In which city did the Renaissance world tour kick off?", "which", "Kansas City", TOUR, False),
        ("Where do Vietnam and China have overlapping claims?", "which", "South China Sea", SEA, True),
        # a proposal states an offer; "took home the prize" is winning it, said of the subject it shares
        ("How much did Hipgnosis Songs Capital offer for the 29 catalogs?", "number", "$440 million", HSC, True),
        ("Which game won the audio design award?", "which", "Hi-Fi Rush", HOME, True),
        ("Which game was nominated for the audio design award?", "which", "Hi-Fi Rush", HOME, True),
        ("Which game lost the audio design award?", "which", "Hi-Fi Rush", HOME, False),
        # an amount counted in sales is what a film took in; one that is predicted is no fact
        ("How much did the concert film take in at the box office?", "number", "$21 million", OPENED, True),
        ("How much did shoppers spend online over the five days?", "number", "$37.2 billion", PREDICT, False),
        ("How much is Adobe predicting shoppers will spend online?", "number", "$37.2 billion", PREDICT, True),
        # a start that happens once is the first; an entry into a market may be one of several
        ("When did the crypto exchange Binance first launch?", "date", "June 2017", BINANCE, True),
        ("When did Huawei first enter Vietnam's telecom market?", "date", "2025", HUAWEI, False),
        # "the final in Malaga" says where the final was played, not where a player was born
        ("In which city was the Davis Cup final between Australia and Italy played?", "which", "Malaga", MALAGA, True),
        ("In which city was Sinner born?", "which", "Malaga", MALAGA, False),
        # the partner of a joint act did it too ("co-founded it with Florian Prucker", NER: "Florian" NORP)
        ("Who co-founded Scalable Capital with Erik Podzuweit?", "who", "Florian Prucker", PRUCKER, True),
        ("Who founded Scalable Capital?", "who", "Florian Prucker", HELPED, False),
        # the asked act done to another name than the question's ("donanemab, produced by Eli Lilly")
        ("Which drugmaker produces the Alzheimer's drug lecanemab?", "which", "Eisai", DRUGS, True),
        ("Which drugmaker produces the Alzheimer's drug lecanemab?", "which", "Eli Lilly", DRUGS, False),
        ("Which drugmaker produces donanemab?", "which", "Eli Lilly", DRUGS, True),
        # a part's amount is not the total's: footwear sales of all sales
        ("What were Nike's total sales in the quarter?", "number", "$8.4 billion", FOOTWEAR, False),
        ("What were Nike's footwear sales in the quarter?", "number", "$8.4 billion", FOOTWEAR, True),
        # who tells what a sentence says fills no part of it, unless the question asks who said it, or the
        # name is described by the relation ("ASOS's chief executive")
        ("Who did OpenAI name as interim CEO?", "who", "The Information", INFORMATION, False),
        ("Who did OpenAI name as interim CEO?", "who", "Mira Murati", INFORMATION, True),
        ("Who did Oregon State hire to replace Jonathan Smith?", "who", "Alan Haller", HALLER, False),
        ("Who said Jonathan Smith has a proven track record?", "who", "Alan Haller", HALLER, True),
        ("Who is the chief executive of ASOS?", "who", "José Antonio Ramos Calamonte", ASOS, True),
        # the object of another verb is not whom the question's verb was done to
        ("Who did the Minnesota Wild hire as head coach?", "who", "Bruce Boudreau", FIRED, False),
        # a field the question names for a thing, given another in the sentence
        ("Who won the Nobel Prize in literature?", "who", "Drew Weissman", NOBEL, False),
        ("Who won the Nobel Prize in medicine?", "who", "Drew Weissman", NOBEL, True),
        # a measure with an amount of its own: another amount is not it
        ("What was the production budget of the film?", "number", "$45.7 million", BUDGET, False),
        ("What was the production budget of the film?", "number", "$200 million", BUDGET, True),
        # a longer name of one the question gives is not the person asked; a "knockout" round knocks no one out
        ("Which Bayern player knocked Manchester United out?", "which", "Bayern Munich", GROUP, False),
        ("Which Bayern player knocked Manchester United out?", "which", "Copenhagen", GROUP, False),
        # "Which X left …" read with "which" as the verb's object: X is still the subject
        (
            "Which Oregon State coach left his alma mater to take over Michigan State?",
            "which",
            "Beaver Nation",
            LEGACY,
            False,
        ),  # fmt: skip
        # the name the sentence calls an app is the app: not its ranker ("Apple's … app"), not another name, not
        # the No. 3; "the U.S." is the US
        ("Which app was the most downloaded free iPhone app in the US?", "which", "Temu", TEMU, True),
        ("Which app was the most downloaded free iPhone app?", "which", "Temu", TEMU, True),
        ("Name the top free iPhone app of 2023 in America", "which", "Temu", TEMU, True),  # America: the U.S.
        ("Which app was the most downloaded free iPhone app?", "which", "Apple", TEMU, False),
        ("Which app was the most downloaded free iPhone app?", "which", "Amazon", TEMU, False),
        ("Which app was the most downloaded free iPhone app?", "which", "Instagram Threads", THREADS, False),
        ("Which app was the No. 3 app by US downloads?", "which", "Instagram Threads", THREADS, True),
        # a grand final is no place in the finals
        ("Who won the AFLW grand final?", "who", "Brisbane Lions", TOPPLED, False),
        # the chief executive of another company does not run this one; another named side won; a word that
        # describes a person is no place
        ("Who runs Cubic Telecom as chief executive?", "who", "Junichi Miyakawa", MIYAKAWA, False),
        ("Who runs SoftBank Corp. as chief executive?", "who", "Junichi Miyakawa", MIYAKAWA, True),
        ("Who did Florida State beat in the title game?", "who", "Buckeyes", BUCKEYES, False),
        ("Where did Tesla hand over the first Cybertrucks?", "which", "Reddit", OHANIAN, False),
        ("Where did Tesla hand over the first Cybertrucks?", "which", "Austin", OHANIAN, True),
        # a relation stated by its converse: whom a stake is sold to buys it, whom one loses to wins
        ("Who agreed to buy Farhad Moshiri's 94% stake?", "who", "777 Partners", SOLD, True),
        ("Who agreed to buy Farhad Moshiri's 94% stake?", "who", "Moshiri", SOLD, False),
        # a date is attached to the clause of the question's light verb ("go 10-2": "went 10-2 in 1962")
        ("In what year did the Detroit Lions last go 10-2 through 12 games?", "date", "1962", LIONS, True),
        ("Who won the final?", "who", "Djokovic", LOST, True),
        ("Who won the final?", "who", "Medvedev", LOST, False),
        ("Who did Djokovic beat in the final?", "who", "Medvedev", LOST, True),
        ("Who did Djokovic beat in the final?", "who", "Djokovic", LOST, False),
        # the office a verb puts the answer in ("became CEO", "replaced X as head", "name as interim CEO") is
        # stated by the answer coming into it: newly titled, named to it, becoming or to be it — not by a title
        # alone (the holder being replaced), another office ("chief compliance officer", "assistant coach") or a
        # possibility
        ("Who became Binance's CEO?", "who", "Richard Teng", TENG, True),
        ("who replaced cz as head of binance", "who", "Richard Teng", TENG, True),
        ("Who became Binance's CEO?", "who", "Samuel Lim", LIM, False),
        ("Who did OpenAI name as interim CEO?", "who", "Mira Murati", MURATI, True),
        ("Who did OpenAI name as interim CEO?", "who", "Mira Murati", "Mira Murati could be named interim CEO.", False),
        ("Who took over from Lidiane Jones as CEO of Bumble?", "who", "Whitney Wolfe Herd", BUMBLE, False),
        ("Who replaced Bob Woods as Wild assistant coach?", "who", "Dean Evason", RELIEVED, False),
        ("Who took over as Wild head coach?", "who", "Dean Evason", RELIEVED, False),
        (
            "Who took over as CEO?",
            "who",
            "Sam Altman",
            "OpenAI tried to get Amodei to replace Sam Altman as CEO.",
            False,
        ),
        ("Who took over as CEO?", "who", "Dario Amodei", "The board has named Dario Amodei as its new CEO.", True),
        # the possessor of a successor is the one replaced
        (
            "Who replaced Dean Evason as coach?",
            "who",
            "Dean Evason",
            "The Wild named John Hynes as Evason's successor.",
            False,
        ),
        # an appointment is announced in the future tense ("will be naming"), not as a possibility ("could name");
        # who "took over as" coach succeeded the one before
        ("Who did the Wild hire to replace Dean Evason?", "who", "John Hynes", HYNES, True),
        (
            "Who did the Wild hire to replace Dean Evason?",
            "who",
            "John Hynes",
            HYNES.replace("will be", "could be"),
            False,
        ),
        ("Who took over as Wild head coach?", "who", "John Hynes", HYNES, True),
        # an owner is who acquired it; the new one's is not an act said to be earlier ("… ago")
        ("Who's the new owner of Missguided?", "who", "Shein", MISSGUIDED, True),
        ("Who's the new owner of Missguided?", "who", "Mike Ashley’s Frasers Group", MISSGUIDED, False),
        # the possessor of the relation's noun is its doer ("Under *Snap's* ownership", Snap untagged); a name given
        # only to describe another the sentence names ("Zenly, the app co-founded by Antoine Martin") need not recur
        ("Who bought Zenly, the social map app co-founded by Antoine Martin?", "who", "Snap", OWNERSHIP, True),
        ("Who bought the social map app co-founded by Antoine Martin?", "who", "Snap", OWNERSHIP, False),
        # the city a company calls home is where it is based, stated by the headquarters' clause, not the founding's
        (
            "Which city does media monitoring company Meltwater now call home?",
            "which",
            "San Francisco",
            MELTWATER,
            True,
        ),
        ("Which city does media monitoring company Meltwater now call home?", "which", "Norway", MELTWATER, False),
        # being part of a series is belonging to it
        (
            "Which Barbie series does Mattel's Wilma Mankiller doll belong to?",
            "which",
            "Inspiring Women",
            "Mattel's Wilma Mankiller Barbie doll is part of the toy company’s “Inspiring Women” series.",
            True,
        ),
        # taking a stake buys it; a gallery's picture number before a name is no amount
        ("What percentage of Cubic Telecom is SoftBank buying?", "number", "51%", STAKE_TAKEN, True),
        ("What size of stake in Manchester United was Jim Ratcliffe set to buy?", "number", "5", RATCLIFFE, False),
        (
            "What size of stake in Manchester United was Jim Ratcliffe set to buy?",
            "number",
            "25 per cent",
            RATCLIFFE,
            True,
        ),
        # a name the tagger leaves unlabelled is a party where it does what the question asks ("Snap" untagged);
        # the name after the object ("the app *Zenly*", read as an adverb) is what it was done to
        ("Which company acquired the location-sharing app Zenly?", "which", "Snap", SNAP, True),
        (
            "Which company acquired the location-sharing app Zenly?",
            "which",
            "Snap",
            SNAP.replace("Zenly", "Bitmoji"),
            False,
        ),
        ("Which company sold the location-sharing app Zenly?", "which", "Snap", SNAP, False),
        # where only the question's object noun states the relation, the name must be bound to it: its possessor,
        # or the subject of the verb that governs it or its clause
        (
            "Who signed the joint statement?",
            "who",
            "EU",
            "The joint statement outlines EU interest in investment.",
            False,
        ),
        (
            "Who signed the joint statement?",
            "who",
            "EU",
            "The EU's joint statement outlines its interest in trade.",
            True,
        ),
        ("Which company secured the cloud rights?", "which", "Ubisoft", UBISOFT, True),
        (
            "Which company secured the cloud rights?",
            "which",
            "Ubisoft",
            "A deal gives Microsoft cloud gaming rights, Ubisoft said.",
            False,
        ),
        # a name used as an adjective is no one's ("the IoT business", tagged ORG)
        ("Who runs Cubic Telecom as chief executive?", "who", "IoT", IOT, False),
        # a light verb's object carries the relation, and the answer must be bound to it (its own words are no
        # other holder of it); the one a passive names to a role holds it
        (
            "Which Manchester United player got the brace against Chelsea?",
            "which",
            "Manchester United",
            MCTOMINAY,
            False,
        ),
        ("Which Manchester United player got the brace against Chelsea?", "which", "Scott McTominay", MCTOMINAY, True),
        (
            "Who was named chief artificial intelligence officer for Mayo Clinic Arizona?",
            "who",
            "Bhavik Patel",
            MAYO_CAIO,
            True,
        ),
        # what was directed is no relation of directing, nor is an adverb that begins like the verb
        ("Who directed the Eras Tour concert film?", "who", "Miley Cyrus", CONCERT_DEBUTS, False),
        ("Who directed the Eras Tour concert film?", "who", "AMC Theaters", AMC_DEALS, False),
        ("Who directed the Eras Tour concert film?", "who", "Sam Wrench", "The film was directed by Sam Wrench.", True),
        # "how much are X" asks what X costs: the amount must be of X
        ("how much are children's tickets for the taylor swift eras tour movie", "number", "$250m", ERAS_GROSS, False),
        (
            "How much are tickets for the Eras Tour movie?",
            "number",
            "$19.89",
            "Tickets for the Eras Tour movie are $19.89 for adults.",
            True,
        ),
        (
            "How much are children's tickets for the Eras Tour movie?",
            "number",
            "$19.89",
            "Tickets for the Eras Tour movie are $19.89 for adults.",
            False,
        ),
        # a number before a possessive counts what is possessed: the 5 groups, not 5 supporters
        ("How many fans are on Inter Miami's waiting list?", "number", "5", FAN_GROUPS, False),
        ("How many groups threatened a protest?", "number", "5", FAN_GROUPS, True),
        # the date of a verb done to another name than the question's is not its date; a buyer pays the seller for
        # the company the question also names
        (
            "When did Spears marry Kevin Federline?",
            "date",
            "June 2022",
            "In June 2022, Spears married Sam Asghari at their home, years after she divorced Kevin Federline.",
            False,
        ),
        (
            "When did Spears marry Kevin Federline?",
            "date",
            "September 2004",
            "Spears married Kevin Federline in September 2004.",
            True,
        ),
        (
            "When did Spears marry her boyfriend?",
            "date",
            "June 2022",
            "In June 2022, Spears married Sam Asghari.",
            True,
        ),
        # an idiom by its object: "tied the knot" married
        (
            "When did Britney Spears marry Kevin Federline?",
            "date",
            "September 2004",
            "Spears and Federline tied the knot in September 2004 during a surprise wedding ceremony.",
            True,
        ),
        ("How much did Rani Zim pay Altshuler Shaham for Psagot?", "number", "NIS 405 million", PSAGOT, True),
        # whose amount: the possessor of what is priced; another's contract is not his (and a deal the subject
        # signs him to is his)
        ("How much is Shohei Ohtani's contract with the Dodgers worth?", "number", "$365 million", BETTS, False),
        ("How much is Mookie Betts's contract with the Dodgers worth?", "number", "$365 million", BETTS, True),
        ("How much is Craig Kimbrel's one-year deal with the Orioles worth?", "number", "$13 million", KIMBREL, True),
        # the cheapest, the base price: the lowest price, said as such ("starts at"); "base stations" ask no price
        (
            "How much does the cheapest Steam Deck OLED cost?",
            "number",
            "$549",
            "The Steam Deck OLED starts at $549.",
            True,
        ),
        (
            "How much does the cheapest Steam Deck OLED cost?",
            "number",
            "$679",
            "A special edition 1 TB Steam Deck OLED costs $679.",
            False,
        ),
        (
            "How many 5G base stations will the network include?",
            "number",
            "3,000",
            "The network will include 3,000 5G base stations.",
            True,
        ),
        # who holds a role is the one the sentence gives it to: by its noun or as the doer of its verb
        ("Who is the director of The Black Cat?", "who", "Bela Lugosi", ULMER, False),
        ("Who is the director of The Black Cat?", "who", "Edgar Ulmer", ULMER, True),
        (
            "Who is the director of the Eras Tour movie?",
            "which",
            "Sam Wrench",
            "The movie, directed by Sam Wrench, would be a way for millions more to experience the Eras Tour.",
            True,
        ),
        ("Who is the CEO of Binance?", "who", "Richard Teng", "Binance CEO Richard Teng said it would comply.", True),
        # "inaugural" is the first; the size of a stake is a share; a place one is at is no person; "22% more" is
        # a difference, not the share asked (unless a change or a comparison is asked)
        (
            "What year did England host the inaugural Cricket World Cup?",
            "date",
            "1975",
            "England hosted the inaugural Cricket World Cup in 1975.",
            True,
        ),
        (
            "What year did England host the inaugural Cricket World Cup?",
            "date",
            "1979",
            "England hosted the Cricket World Cup again in 1979.",
            False,
        ),
        (
            "What size of stake was Jim Ratcliffe set to buy?",
            "number",
            "£4bn",
            "Jim Ratcliffe had previously offered £4bn to buy a stake in Chelsea.",
            False,
        ),
        (
            "What size of stake was Jim Ratcliffe set to buy?",
            "number",
            "25%",
            "Jim Ratcliffe was set to buy a 25% stake.",
            True,
        ),
        (
            "Who scored both goals for Manchester United?",
            "who",
            "Old Trafford",
            "It has been another of those weeks at Old Trafford, and United are now three points behind City.",
            False,
        ),
        (
            "What is the percentage of american tiktok users who pay for music streaming?",
            "number",
            "22%",
            "Overall, US TikTok users spent 22% more on music-related purchases, compared to overall music listeners.",
            False,
        ),
        (
            "What percentage of TikTok users pay for music streaming?",
            "number",
            "62%",
            "62% of TikTok users pay for a music streaming service.",
            True,
        ),
        (
            "By what percentage more do TikTok users pay for music streaming?",
            "number",
            "22%",
            "US TikTok users pay 22% more for music streaming than other listeners.",
            True,
        ),
        # a bout is a fight ("in a 168-pound clash at …"); facing charges is none
        (
            "Where did David Benavidez and Demetrius Andrade fight?",
            "which",
            "Las Vegas",
            "Andrade gets his shot when he faces David Benavidez in a 168-pound clash at the Michelob Ultra Arena in Las Vegas.",
            True,
        ),
        (
            "Where did David Benavidez and Demetrius Andrade fight?",
            "which",
            "Las Vegas",
            "Andrade faces charges in Las Vegas, David Benavidez said.",
            False,
        ),
        # an interim or acting holder's office is another than the one a club hires for; acting is interim
        (
            "Who did Michigan State hire as its head football coach?",
            "who",
            "Sherrone Moore",
            "Michigan State offensive coordinator Sherrone Moore will serve as acting head coach.",
            False,
        ),
        (
            "Who did Michigan name as its interim head coach?",
            "who",
            "Sherrone Moore",
            "Michigan named offensive coordinator Sherrone Moore as acting head coach.",
            True,
        ),
        (
            "Who did Michigan name as its interim head coach?",
            "who",
            "Sherrone Moore",
            "Michigan named offensive coordinator Sherrone Moore as head coach.",
            False,
        ),
        # a move to a new owner for a price is a sale by its converse; without the price it is no purchase
        (
            "Which franchise bought Pat Cummins?",
            "which",
            "Sunrisers Hyderabad",
            "Cummins went to Sunrisers Hyderabad for Rs 20.50 Cr at the auction.",
            True,
        ),
        (
            "Which franchise bought Pat Cummins?",
            "which",
            "Sunrisers Hyderabad",
            "Cummins went to Sunrisers Hyderabad for the final match of the season.",
            False,
        ),
        # "a short pass" is something new, not the Hail Mary the question names
        (
            "Who caught the deflected Hail Mary?",
            "who",
            "Tyler Scott",
            "Before the Hail Mary, Tyler Scott caught a short pass from Fields and raced up the sideline.",
            False,
        ),
        (
            "Who caught the deflected Hail Mary?",
            "who",
            "D'Anthony Bell",
            "D'Anthony Bell caught the deflected Hail Mary.",
            True,
        ),
        # a date in a clause of its own dates that clause's event, not the relation another clause states (an
        # infinitive has no time of its own)
        (
            "When was To Lam returned as general secretary of Vietnam's Communist Party?",
            "date",
            "2020",
            TO_LAM_2020,
            False,
        ),
        (
            "In what year did Marcus Urann introduce a way to put cranberries in a can?",
            "date",
            "1912",
            "Marcus Urann introduced a way to put cranberries in a can in 1912.",
            True,
        ),
        # a verb that asks only how many there were in all ("run to", "strung together") is answered by the count of
        # the thing asked, whatever verb states it; a definite noun phrase says they were, whatever the verb over it
        # plans or fears — only for such a question: "plans to open the 50 stores" opened none
        (
            "Give the number of phases Ireland strung together at the end of their quarter-final loss.",
            "number",
            "37",
            "And then there were those 37 phases in Ireland's quarter-final loss, the most painful finish in Irish "
            "rugby history.",
            True,
        ),
        (
            "How many phases did Ireland's last attack against New Zealand run to?",
            "number",
            "37",
            "While Ireland will rue the 37 phases that ended in heartbreak, they may just go down in New Zealand rugby "
            "history.",
            True,
        ),
        (
            "How many phases did Ireland's last attack against New Zealand run to?",
            "number",
            "37",
            "Ireland will need 37 phases to break down New Zealand's defence.",
            False,
        ),
        (
            "How many phases did Ireland's last attack against New Zealand run to?",
            "number",
            "37",
            "Ireland made 37 tackles against New Zealand.",
            False,
        ),
        (
            "How many stores did Apple open in China?",
            "number",
            "50",
            "Apple plans to open the 50 stores in China.",
            False,
        ),
        (
            "What was Nike's revenue for its fiscal first quarter?",
            "number",
            "$12.98 billion",
            "Revenue for the fiscal first quarter was just shy of the $12.98 billion analysts had expected.",
            False,
        ),
        # a name called after a place is not named by the place alone: Michigan's coach is not Michigan State's
        (
            "Who did Michigan State hire as its head football coach?",
            "who",
            "Sherrone Moore",
            "Sherrone Moore was hired as Michigan's head football coach today.",
            False,
        ),
        (
            "Who did Michigan State hire as its head football coach?",
            "who",
            "Jonathan Smith",
            "Michigan State hired Jonathan Smith as its head football coach.",
            True,
        ),
        # a holder for the time being ("the interim coach") is said to be one: "Ohio State coach Ryan Day" is not;
        # an acting one is
        (
            "What is the name of the interim coach who led Michigan past Ohio State?",
            "open",
            "Ryan Day",
            "Ohio State coach Ryan Day and his family have no connection to the investigations into Michigan.",
            False,
        ),
        (
            "What is the name of the interim coach who led Michigan past Ohio State?",
            "open",
            "Sherrone Moore",
            "Michigan acting coach Sherrone Moore led the Wolverines past Ohio State.",
            True,
        ),
        # a question asked with "will" has its verb read as one ("broadcast *air*" is no noun), which a sentence
        # must state (by its family: "the final *broadcast*")
        (
            "When will the final Showtime Championship Boxing broadcast air?",
            "date",
            "April 1985",
            "Coming off his stunning knockout triumph over Thomas Hearns in April 1985, Hagler was the best fighter in "
            "the world, Showtime Championship Boxing's greatest star.",
            False,
        ),
        (
            "When will the final Showtime Championship Boxing broadcast air?",
            "date",
            "December 16, 2024",
            "It's the fact that December 16, 2024, will be the final broadcast of the beloved Showtime Championship "
            "Boxing series.",
            True,
        ),
        # a channel's revenue is a part of the revenue asked
        (
            "What was Nike's revenue for its fiscal first quarter?",
            "number",
            "$7 billion",
            "Nike's wholesale revenue during its fiscal first quarter was flat compared to the year-ago period at $7 "
            "billion.",
            False,
        ),
        (
            "What was Nike's revenue for its fiscal first quarter?",
            "number",
            "$12.94 billion",
            "Nike's revenue during its fiscal first quarter was $12.94 billion.",
            True,
        ),
        # an adjective spelt as the question's verb states no event (a noun's relation may be an adjective: below)
        (
            "Who directed the Taylor Swift: The Eras Tour concert film?",
            "who",
            "Scott Swift",
            "Speed was one reason Swift's father, Scott Swift, is said to have sought out a direct deal with AMC.",
            False,
        ),
        (
            "Who directed the Taylor Swift: The Eras Tour concert film?",
            "who",
            "Sam Wrench",
            "Taylor Swift: The Eras Tour, the concert film directed by Sam Wrench, opened in October.",
            True,
        ),
    ],
)
def test_an_answer_must_fit_the_question(question, kind, answer, sentence, fits):
    assert (misfit(asked(question, kind), answer, sentence, date="2024-06-08") is None) is fits


def test_bare_sales_are_those_of_the_brand_the_sentence_before_is_about():
    question = asked("How much did Nike bring in in sales during the quarter that ended August 31, 2023?", "number")
    before = "The Converse brand, on the other hand, fell well short of expectations for a second quarter in a row."
    sales = "Sales came in at $588 million, down 9% compared to the year-ago period."
    title = "Nike misses revenue expectations for the first time in two years"
    found = misfit(question, "$588 million", sales, f"{title} {before}", date="2023-09-28", before=before)
    assert found is not None and found.what == "constraint"
    nike = "Nike reported results for the quarter that ended August 31, 2023."
    assert misfit(question, "$12.94 billion", "Sales rose 2% to $12.94 billion.", f"{title} {nike}", date="2023-09-28",
                  before=nike) is None  # fmt: skip


def test_a_nickname_subject_may_be_the_asked_side_and_a_side_is_read_apart_from_its_score():
    """ "the *Seminoles* team that just beat *Louisville 16-6*" under a title about Florida State: a nickname is no
    other side (a name of another is: Ohio State), and the parser's one name "Louisville 16-6" (a facility) is a
    side and its score."""
    question = asked("Who did Florida State beat in the ACC Championship Game?", "who")
    title = "Florida State left out of the College Football Playoff"
    seminoles = "But the Seminoles team that just beat Louisville 16-6 in the ACC Championship Game was relying on a "
    assert misfit(question, "Louisville", seminoles + "third-string quarterback.", title) is None
    ohio = "But the Ohio State team that just beat Louisville 16-6 in the ACC Championship Game was relying on a "
    assert misfit(question, "Louisville", ohio + "third-string quarterback.", title) is not None


def test_the_named_thing_ends_where_a_phrase_describes_it():
    question = "What is the name of Eli Roth's slasher movie about a pilgrim-masked killer in Plymouth, Massachusetts?"
    assert asked(question, "open").focus == "movie"


def test_a_bare_noun_that_refers_back_is_the_sentence_befores_not_the_titles():
    """ "*the film* starring Joaquin Phoenix" after a sentence about Napoleon is Napoleon, though the title is about
    another film: only the title's noun with its own describing words ("the electric pickup") is the title's."""
    question = asked("What was the production budget of Renaissance: A Film by Beyoncé?", "number")
    title = "Beyoncé tops box office with $21 million debut for concert film ‘Renaissance’"
    before = "Ridley Scott's “Napoleon” earned $7.1 million in its second weekend."
    film = (
        "Produced by Apple, the film starring Joaquin Phoenix has now made $45.7 million against a $200 million budget."
    )
    found = misfit(question, "$200 million", film, f"{title} {before}", "2023-12-03", before=before)
    assert found is not None and found.what == "constraint"


def test_a_question_asked_with_will_has_its_verb_read_as_a_verb():
    assert asked("When will the new iPhone launch?", "date").events == ("launch",)
    assert asked("When will the final Showtime Championship Boxing broadcast air?", "date").events == ("air",)


def test_a_relation_the_question_states_by_a_noun_may_be_written_as_an_adjective():
    question = asked("What date is Inter Miami's preseason friendly against Al Nassr in Riyadh?", "date")
    sentence = (
        "Lionel Messi and Cristiano Ronaldo will meet in a club friendly between Inter Miami and Al Nassr in Riyadh, "
        "Saudi Arabia on Thursday, February 1 with kickoff at 1 p.m. ET."
    )
    assert question.relations == ("friendly",) and not question.events
    assert misfit(question, "February 1", sentence, "Inter Miami's preseason schedule", date="2024-01-08") is None


def test_an_arrangement_asked_in_the_present_progressive_is_answered_by_its_plan():
    """ "is Ohtani deferring" is read with its verb (the small model tags "deferring" a noun) and, as an arrangement,
    is answered by "will defer"; a phrase with "being" in a description is no such question."""
    question = asked("How much of his Dodgers contract is Shohei Ohtani deferring?", "number")
    assert question.modal and question.relations == ("defer",)
    deferred = "Ohtani will defer a whopping $680 million of his $700 million contract from the Dodgers."
    assert misfit(question, "$680 million", deferred, date="2023-12-12") is None
    assert misfit(question, "$700 million", deferred, date="2023-12-12") is not None
    assert not asked("What is the name of the spinoff, the one being developed as Arkham Asylum?", "which").modal
    assert not asked("Who is accused of taking customer funds for personal gain?", "who").modal  # no subject


def test_a_hope_asks_for_the_verb_it_hopes_for_and_taking_over_a_club_acquires_it():
    """ "is set to take over Everton" asks who acquires it — whom its owner agreed to sell it to —, with the fund
    (not "American") the subject; "took over as coach" acquires nothing (it succeeds the coach before); "plans to have" keeps its plan."""
    question = asked("Which American investment fund is set to take over Everton from Moshiri?", "which")
    assert (question.relations, question.slot, question.modal) == (("acquire",), "subject", True)
    sold = SOLD
    assert misfit(question, "777 Partners", sold, "Everton takeover", "2023-12-01") is None
    assert misfit(question, "Moshiri", sold, "Everton takeover", "2023-12-01") is not None
    assert asked("Who took over as head coach?", "who").relations == ("succeed",)
    assert asked("How many stations does Gogoro plan to have in Delhi?", "number").relations == ("plan",)


def test_what_was_paid_may_be_stated_by_an_acquisition_but_not_the_other_way():
    """A family word marked one-way: "paid" is stated by "acquired … for $N"; "spent six seasons as coach"
    states no acquisition."""
    assert "acquire" in _family("pay") and "spend" not in _family("acquire")
    question = asked("Which coach left his alma mater to take over the Michigan State Spartans?", "which")
    spent = "Smith, 44, has spent the past six seasons as coach at Oregon State."
    assert misfit(question, "Smith", spent, date="2023-11-27") is not None


CYBERTRUCK = [
    "Tesla handed over the first Cybertrucks to customers on Thursday after years of delays.",
    "Tesla CEO Elon Musk handed over the first Cybertrucks to customers at an event streamed online.",
    "The first Cybertrucks handed over to customers cost far more than Tesla had promised in 2019.",
    "Customers who got the first Cybertrucks from Tesla praised the truck's steel body.",
    "Tesla said more Cybertrucks would be handed over to customers next year.",
    "The first Cybertrucks Tesla handed to customers came in a single trim.",
    "Analysts said Tesla handing over the first Cybertrucks to customers matters for its margins.",
    "The first deliveries of the truck to customers took place at the Tesla Gigafactory in Austin.",
]


def test_where_none_of_the_best_sentences_holds_a_fitting_answer_the_next_ones_are_searched(tmp_path, embedder):
    """Seven sentences say the question's words and name no place; the eighth says where: it is answered from it."""
    qa = over(tmp_path, embedder, {"a.txt": "Cybertruck deliveries\n\n" + " ".join(CYBERTRUCK)})
    question = "Where did Tesla hand over the first Cybertrucks to customers?"
    _, _, _, evidence = qa._evidence(question, "extractive", None, None, {})
    assert [e.sentence.clean for e in evidence].index(CYBERTRUCK[-1]) >= FITTED  # below the best ones
    answer = qa.ask(question)
    assert answer.short == "Austin" and any(CYBERTRUCK[-1] in c.quote for c in answer.citations)


MADE_OF = [
    "The body of Tesla's Cybertruck is a material story in itself.",
    "Tesla says the Cybertruck's body is the toughest material it has put on a truck.",
    "The Cybertruck's body panels, Tesla says, are a material change from other pickups.",
    "Material costs for the Cybertruck's body have weighed on Tesla's margins.",
    "Tesla's Cybertruck has a body that dents less than other trucks, owners say.",
    "The material of the Cybertruck body gives Tesla's truck its sharp angles.",
    "Why does Tesla's Cybertruck body look like that?",
    "Because Musk wants it to.",
    "The electric pickup is made of stainless steel, a tough material that resists rust but is hard to shape.",
]


def test_the_phrase_in_the_wh_words_place_is_looked_for_below_the_best_sentences(tmp_path, embedder):
    """An untyped question is answered only by the phrase in its wh-word's place; seven sentences say its words
    and not what the body is made of, a later one does: it answers. "*The electric pickup*" is the pickup of the
    title, not what the sentence before is about ("Because Musk wants it to"), so Tesla's is said of it."""
    title = "What's up with Tesla's Cybertruck? Everything to know about the much-hyped electric pickup"
    qa = over(tmp_path, embedder, {"a.txt": f"{title}\n\n" + " ".join(MADE_OF)})
    question = "What material is the body of Tesla's Cybertruck made from?"
    assert asked(question, "open").relations == ("make",)  # "made from": what a thing is made of, no light verb
    _, _, _, evidence = qa._evidence(question, "extractive", None, None, {})
    assert [e.sentence.clean for e in evidence].index(MADE_OF[-1]) >= 5  # below the best ones
    answer = qa.ask(question)
    assert answer.short == "stainless steel" and any(MADE_OF[-1] in c.quote for c in answer.citations)


def test_a_list_items_number_is_no_sentence_before_it():
    """ "1. “Renaissance: A Film by Beyoncé,” $21 million." is split after its number: the sentence before the
    item is the one before the list ("Final domestic figures …"), and its constraint ("domestic") holds there."""
    text = "Final domestic figures will be released Monday.\n\n1. “Renaissance: A Film by Beyoncé,” $21 million."
    item = "“Renaissance: A Film by Beyoncé,” $21 million."
    chunk = Chunk(chunk_id="c", doc_id="d", text=text, start=0, end=len(text), source="s", title="Box office")
    start = text.index(item)
    evidence = Evidence(Hit(chunk, 0.0, 1), Sentence(item, start, start + len(item)), 0.5, 0.5, 0.5)
    assert evidence.before == "Final domestic figures will be released Monday."
    question = asked("Give me the domestic debut figure for Renaissance: A Film by Beyoncé.", "number")
    assert misfit(question, "$21 million", item, evidence.context, "2023-12-03") is None
    assert misfit(question, "$21 million", item, "Box office 1.", "2023-12-03") is not None


def test_an_answer_in_a_clause_with_a_named_subject_is_that_names_whatever_the_main_subject_refers_back_to():
    """ "this will …" refers back to the sentence before (about Andonovski); the amount is in the clause whose
    subject is Hayes, so the question's "U.S." is looked for in the title, as for any sentence."""
    question = asked("How much is Emma Hayes expected to earn per year as U.S. women's national team coach?", "number")
    before = "During that same time, Andonovski earned $446,495, of which only $50,000 was bonus money."
    context = f"How U.S. Women’s Soccer Team Lured Emma Hayes Away From Chelsea {before}"
    hayes = "With Hayes expected to earn close to $2 million per year in her deal, this will likely create a knock-on effect."
    assert misfit(question, "$2 million", hayes, context, "2023-11-15", before=before) is None
    this = "This will likely pay close to $2 million per year, a knock-on effect of the deal."
    assert misfit(question, "$2 million", this, context, "2023-11-15", before=before) is not None


def test_a_name_is_not_found_by_its_last_word_ending_another_name():
    """ "Apple *Music*" is not YouTube Music, where "President *Costa*" is António Costa; a number of paying
    subscribers is not a number of users."""
    assert not _named("YouTube Music", "Spotify rival Apple Music had 32.6 million subscribers.")
    assert _named("António Costa", "President Costa visited Hanoi.")
    assert _named("Wilma Mankiller", "Mattel honours Wilma Mankiller. Mankiller, whose likeness is on a US quarter")
    question = asked("How many paying subscribers did YouTube Music have in the US as of February 2023?", "number")
    assert question.counted == "subscriber"
    apple = "In the US as of February, Spotify rival Apple Music had 32.6 million subscribers."
    tiktok = "As of February 2023, approximately 93 million TikTok users in the US are paying for a subscription."
    title = "YouTube Music and streaming subscribers in the US"
    assert misfit(question, "32.6 million", apple, title, "2023-03-01") is not None
    assert misfit(question, "93 million", tiktok, title, "2023-03-01") is not None
    youtube = apple.replace("Spotify rival Apple Music", "YouTube Music")
    assert misfit(question, "32.6 million", youtube, title, "2023-03-01") is None


def test_an_aside_between_dashes_is_said_of_the_main_clause():
    """The parser hangs "— at a cost of £99 a pop —" on "slated", whose subject is "the US": the aside is said of
    the main clause (the service being launched), and of another's where that clause names another."""
    question = asked("How much does Daye charge for its STI test in the UK?", "number")
    title = "Daye launches a tampon-based STI test"
    assert misfit(question, "£99", DAYE, title, "2023-11-21") is None
    mylan = DAYE.replace("The STI testing service is being launched", "Mylan is launching its STI testing service")
    assert misfit(question, "£99", mylan, title, "2023-11-21") is not None


def test_an_office_may_be_named_again_by_a_noun_for_its_organisation():
    """ "the exchange's new CEO" in a sentence that names Binance is Binance's CEO; in one that does not, it is
    nobody's the question names."""
    assert holds_role(TENG, ("CEO", "Binance"))
    assert not holds_role("Richard Teng will be the exchange’s new CEO.", ("CEO", "Binance"))
    assert holds_role(TENG, ("Chief Executive", "Binance"))  # a CEO is the chief executive
    assert holds_role("Binance chief executive officer Richard Teng said.", ("CEO", "Binance"))
    assert not holds_role("Binance chief compliance officer Samuel Lim said.", ("CEO", "Binance"))


def test_a_year_the_question_names_is_checked_against_the_sentence_first():
    """The headline says 2023; the sentence is about 2019: its score is not the 2023 final's."""
    question = asked("What was the score when South Africa beat the All Blacks in the 2023 final?", "number")
    sentence = "England will echo the spirit of 2019, when they beat the All Blacks 19-7 to reach the final."
    assert misfit(question, "19-7", sentence, "Rugby World Cup 2023 final preview", "2023-10-27") is not None
    plain = "South Africa beat the All Blacks 12-11 in the final."
    assert misfit(question, "12-11", plain, "Rugby World Cup 2023 final report", "2023-10-28") is None
    assert misfit(question, "12-11", plain, "", "2023-10-28") is None  # the article's date, where nothing else says
    season = asked("How many goals did he score in the 2023 season?", "number")
    assert misfit(season, "31", "He scored 31 goals in the 2022-23 season.", "", None) is None


def test_a_count_counts_what_the_question_counts():
    docked = asked(
        "How many points were Everton docked in November 2023 for breaching Premier League financial rules?", "number"
    )
    city = (
        "Dyche declined to comment on the implications of Everton’s punishment for Manchester City, who have been "
        "charged with 115 financial breaches by the Premier League."
    )
    assert misfit(docked, "115", city, date="2023-11-17") is not None  # breaches, not points
    rules = "Everton were docked 10 points for breaching the Premier League's financial rules."
    assert misfit(docked, "10", rules, date="2023-11-17") is None
    people = asked("How many people attended the final?", "number")
    assert misfit(people, "25,000", "A crowd of 25,000 fans attended the final.", date="2023-11-17") is None
    assert not typed("count", "0", "HALFTIME: Chicago Fire 0-0 Inter Miami")  # one side of a score
    assert not typed("count", "7", "Kick-off is at 7:30 p.m. in Toronto.")  # a time


def test_the_amount_asked_for_is_read_from_the_question():
    assert asked("What gross margin did Nike post in its fiscal 2024 first quarter?", "number").type == "percent"
    assert asked("Give the number of phases Ireland strung together in their 28-24 loss.", "number").type == "size"


def test_a_name_given_by_its_last_word_may_be_a_person_not_a_place():
    lopez = "The studio was founded by Lopez in 2019."
    assert typed("person", "Maria Lopez", lopez) and not typed("place", "Maria Lopez", lopez)


def test_an_organisation_is_not_the_person_asked_for():
    assert not typed("person", "Justice", "CZ pleaded guilty before the Department of Justice.")
    assert not typed("person", "Justice Department", "The Justice Department said CZ pleaded guilty.")
    assert typed("person", "Bankman-Fried", "Bankman-Fried was convicted on all seven counts.")


def test_the_name_of_a_thing_is_a_title_and_a_quoted_title_is_proposed_whole():
    question = "What is the name of the Riyadh pay-per-view card headlined by Anthony Joshua vs. Otto Wallin?"
    assert asked(question, "which").type == "title"
    sentence = 'Joshua (26-3, 23 KOs) headlines a blockbuster card dubbed "The Day of Reckoning" from Riyadh.'
    assert quoted_titles(sentence) == ["The Day of Reckoning"]
    assert quoted_titles("“We are thrilled to be here,” he said.") == []  # a remark, not a title


def test_names_and_amounts_are_typed_by_the_parser_not_by_capitals():
    headline = "Four Finalists Named As Crew List Says Advisors Quit"
    assert not typed("person", "Crew List", headline) and not typed("person", "Four Finalists", headline)
    assert typed("person", "Florian Prucker", PRUCKER)  # only "Florian" tagged, as a nationality
    assert typed("person", "António Costa", "European Council President António Costa visited Hanoi on Thursday.")
    assert not typed("organisation", "Vietnam", "Vietnam hosts chip plants for firms such as Intel.")
    assert not typed("money", "11 months", "In the first 11 months of 2025, trade reached $66.8 billion.")
    assert not typed("size", "11 months", "In the first 11 months of 2025, trade reached $66.8 billion.")
    assert typed("count", "four", "Cai Mep port will add four deep-water berths by 2028, the operator said.")


def test_the_wh_word_is_answered_by_the_phrase_in_its_place():
    assert (
        aligned(
            "Which metal is Vietnam already a major global supplier of?",
            "Vietnam is a major supplier of tungsten, a metal used in defense and electronics manufacturing.",
        )
        == "tungsten"
    )
    assert aligned("What compound did Ekimov add to glass?", "Ekimov added copper chloride to glass.") == (
        "copper chloride"
    )
    assert aligned("Which metal is Vietnam a supplier of?", "Vietnam awarded contracts in 2025.") == ""
    tungsten = "Vietnam holds deposits of gallium and is already a key global supplier of tungsten."
    # the doer's noun says what the verb's object is; an adverb after a stranded preposition is no object
    assert aligned("What metal does Vietnam already supply to world markets?", tungsten) == "tungsten"
    assert aligned("Which metal that Vietnam is already a key supplier of worldwide?", tungsten) == "tungsten"
    assert aligned("What metal does Vietnam already import?", tungsten) == ""


def test_requests_are_read_as_questions():
    assert as_question("name the european council president who visited hanoi") == (
        "Which european council president who visited hanoi?"
    )
    assert as_question("give the value of eu-vietnam trade in 2025") == "What is the value of eu-vietnam trade in 2025?"
    assert (
        as_question("What's the base price of the Steam Deck OLED") == "What is the base price of the Steam Deck OLED?"
    )


@pytest.mark.parametrize(
    ("typed_in", "read", "kind"),
    [
        ("time person of the year 2023 who was it", "who was time person of the year 2023?", "who"),
        ("nascar new tv rights deal how much", "how much is nascar new tv rights deal?", "number"),
        ("aquaman release date", "What is the release date of aquaman?", "date"),
        ("canelo charlo fight location", "What is the location of canelo charlo fight?", "which"),
        ("starc ipl auction price", "What is the auction price of starc ipl?", "number"),
        (
            "percentage of tiktok users who pay for music",
            "What is the percentage of tiktok users who pay for music?",
            "number",
        ),  # fmt: skip
        ("most downloaded iphone app in the uk", "What is the most downloaded iphone app in the uk?", "open"),
        # a question without its question mark stays as asked
        ("In what year did WhatsApp start charging users", "In what year did WhatsApp start charging users", "date"),
        ("who won the 2023 final", "who won the 2023 final?", "who"),
        # a request for a possessor's thing; "what" as the object of a verb of paying asks a sum
        ("tell me nike's total sales in 2023", "What is nike's total sales in 2023?", "number"),
        ("What did Shopify pay for Deliverr?", "What did Shopify pay for Deliverr?", "number"),
        ("What did Shopify buy in 2022?", "What did Shopify buy in 2022?", "open"),
    ],
)
def test_a_search_box_query_is_read_as_the_question_it_stands_for(typed_in, read, kind):
    assert as_question(typed_in) == read
    assert kind_of(read) == kind


def test_a_date_without_its_year_is_a_date_and_a_scheduled_one_answers_what_the_date_is(tmp_path, embedder):
    article = "The sequel Aquaman and the Lost Kingdom will be released in theaters on Dec. 20, Warner Bros. said."
    assistant = over(tmp_path, embedder, {"aquaman.txt": f"Aquaman sequel dated\n\n{article}"})
    for question in ("When will Aquaman and the Lost Kingdom be released?", "What is the release date of Aquaman?"):
        answer, _ = ask(assistant, question)
        assert answer.short == "Dec. 20", question
    answer, _ = ask(assistant, "When was Aquaman and the Lost Kingdom released?")  # a plan is not a release
    assert answer.refused


def test_a_date_is_read_where_the_sentence_before_names_whom_it_is_about(tmp_path, embedder):
    """ "*He* introduced …": the sentence before names Urann; a can of cranberries is no modal verb."""
    article = (
        "Marcus Urann was a lawyer who bought a cranberry bog in Massachusetts. He introduced a way to put "
        "cranberries in a can in 1912. The company he led later became Ocean Spray."
    )
    assistant = over(tmp_path, embedder, {"urann.txt": f"The cranberry king\n\n{article}"})
    question = "In what year did Marcus Urann introduce a way to put cranberries in a can?"
    assert not asked(question, "date").modal
    answer, _ = ask(assistant, question)
    assert answer.short == "1912"


def test_a_full_date_is_answered_before_a_year_alone(tmp_path, embedder):
    article = (
        "Robin Williams' sudden death shocked the world in 2014, and his friends are now looking back. The actor "
        "died by suicide at his home in California on Aug. 11, 2014, his publicist said."
    )
    assistant = over(tmp_path, embedder, {"williams.txt": f"Remembering Robin Williams\n\n{article}"})
    answer, _ = ask(assistant, "When did Robin Williams die?")
    assert answer.short == "Aug. 11, 2014"


def test_a_month_the_question_names_is_checked_against_the_sentence():
    question = asked("What was the final score of Fulham vs Chelsea in November 2023?", "number")
    board = "Fulham advance 7-6 on penalties Highlights Tues, Dec. 19 Chelsea 1-1 Fulham"
    found = misfit(question, "7-6", board, date="2023-12-20")
    assert found is not None and found.missing == "November"
    assert misfit(question, "1-1", "Chelsea drew 1-1 with Fulham on Nov. 4.", date="2023-11-05") is None


def test_a_score_the_question_names_is_checked_as_a_score_and_a_day_by_its_month():
    question = asked("Who scored both goals for Manchester United in their 2-1 win over Chelsea in 2023?", "who")
    assert question.constraints == ("2023",)  # not "2" and "1"
    brace = "Manchester United beat Chelsea thanks to a superb Scott McTominay brace in 2023."
    assert misfit(question, "Scott McTominay", brace, date="2023-12-07") is None  # no score written: it may be
    other = "Scott McTominay scored twice as Manchester United beat Chelsea 3-0 in 2023."
    found = misfit(question, "Scott McTominay", other, date="2023-12-07")
    assert found is not None and found.missing == "2-1"
    dated = asked("In which city did Belgium beat England in the Nations League on 31 October 2023?", "which")
    assert "31" not in dated.constraints
    assert not typed("place", "League A1", "Belgium beat England in League A1 in Leuven on Tuesday.")


def test_a_pair_written_with_a_hyphen_is_named_by_its_two_names():
    question = asked("What was the value of eu-vietnam trade in 2025?", "number")
    trade = "In 2025, trade between the EU and Vietnam reached $66.8 billion."
    assert misfit(question, "$66.8 billion", trade, date="2026-01-29") is None
    found = misfit(question, "$66.8 billion", "In 2025, trade between the EU and Japan reached $66.8 billion.")
    assert found is not None and found.what == "constraint"


def test_a_possessor_is_not_what_is_asked():
    question = "What was the Minnesota Wild's penalty kill percentage when the team fired Dean Evason?"
    assert kind_of(question) == "number"
    read = asked(question, "number")
    assert read.type == "percent" and "wild" not in read.relations
    kill = (
        "The team also hopes a significant change behind the bench can boost their league-worst penalty kill, "
        "which is operating at just 66.7%."
    )
    assert misfit(read, "66.7%", kill, "Minnesota Wild fire head coach Dean Evason", date="2023-11-27") is None


def test_a_name_the_sentence_says_is_not_public_yet_is_no_answer():
    question = asked("What is the name of the second HBO Max spinoff of The Batman?", "which")
    unknown = "The actual title for the second of Reeves’ two HBO Max The Batman spinoffs hasn’t been revealed yet."
    found = misfit(question, "Matt Reeves", unknown, date="2023-12-01")
    assert found is not None and "not been made public" in found.reason
    other = "The second HBO Max Batman spinoff is called “Arkham Asylum”, though HBO hasn’t revealed its budget."
    assert misfit(question, "Arkham Asylum", other, date="2023-12-01") is None


def test_a_search_box_query_gets_a_direct_answer(tmp_path, embedder):
    article = "The sequel Aquaman and the Lost Kingdom will be released in theaters on Dec. 20, Warner Bros. said."
    assistant = over(tmp_path, embedder, {"aquaman.txt": f"Aquaman sequel dated\n\n{article}"})
    answer, _ = ask(assistant, "aquaman and the lost kingdom release date")
    assert answer.short == "Dec. 20"


def test_demo_questions_as_people_ask_them(assistant):
    """Issue 33's demo cases: each was wrong or unanswered on d9783fe."""
    cases = {
        "Which European Council president visited Hanoi for the upgrade?": "António Costa",
        "Which metal is Vietnam already a major global supplier of?": "tungsten",
        "what status did vietnam upgrade its relationship with the eu to in 2026": (
            "Comprehensive Strategic Partnership"
        ),
        "How large was EU-Vietnam trade in 2025?": "$66.8 billion (in the first 11 months of 2025)",
    }
    for question, short in cases.items():
        answer, quotes = ask(assistant, question)
        assert answer.short == short and short.split(" (")[0] in quotes, (question, answer.short)


def test_a_near_miss_is_refused_and_the_refusal_names_what_is_missing(assistant):
    huawei, _ = ask(assistant, "When did Huawei first enter Vietnam's telecom market?")
    assert huawei.refused and huawei.short != "2025" and "“enter”" in huawei.text
    status, _ = ask(assistant, "What is the name of the diplomatic status the EU and Vietnam agreed on?")
    assert status.short in ("Comprehensive Strategic Partnership", "Insufficient information.")  # was "China"
    full_year, _ = ask(assistant, "What was the total value of EU-Vietnam trade for the full year 2025?")
    assert full_year.refused and "whole year" in full_year.text  # the figure covers 11 months


def test_only_the_noise_indexed_no_champion_is_named(tmp_path, embedder):
    """The answer is nowhere in the articles: the finalist who lost is not named the champion."""
    qa = over(tmp_path, embedder, {"a.txt": f"Paris final\n\n{NOISE} She will play again in Rome."})
    answer = qa.ask("Who won the 2024 French Open women's singles title?")
    assert answer.short == "Insufficient information." and answer.refused
    qa = over(tmp_path, embedder, {"b.txt": f"Paris final\n\n{FINAL}"})
    assert qa.ask("Who won the 2024 French Open women's singles title?").short == "Iga Swiatek"
    assert qa.ask("Who won the 2019 French Open women's singles title?").refused


def test_a_plan_in_a_word_file_is_counted_in_words_and_dated_as_a_plan(tmp_path, embedder):
    memo = "Cai Mep port will add four deep-water berths by 2028, the operator said."
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "memo.docx").write_bytes(docx_bytes(["Port plan", memo], created=None))
    from index import ingest as build
    from qa import Assistant, Settings
    from tests.test_short_answers import load

    build([folder], tmp_path / "index", embedder)
    qa = Assistant(load(tmp_path / "index"), Settings(index_dir=tmp_path / "index"), embedder)
    berths = qa.ask("How many deep-water berths will Cai Mep port add?")
    assert berths.short == "four", berths.text
    plan = qa.ask("What will Cai Mep port add by 2028?")
    assert "2013-12-23" not in plan.text and plan.as_of == ""


@pytest.mark.parametrize(
    ("question", "kind", "answer", "claim", "cited", "why"),
    [
        (  # issue 37: the sentence contradicts the direct answer above it
            "Which news agency saw the draft of the joint statement?",
            "which",
            "Reuters",
            "The news agency that saw the draft of the joint statement was the European Union and Vietnam.",
            "The EU and Vietnam are set to sign a joint statement, according to a draft document seen by Reuters.",
            "another",
        ),
        (  # empty and repetitive
            "What is the highest diplomatic designation Hanoi offers to foreign nations?",
            "which",
            "",
            "The highest diplomatic designation Hanoi offers is the highest diplomatic title, which is the highest "
            "diplomatic title in the European Union.",
            "The EU and Vietnam elevated their relationship to a Comprehensive Strategic Partnership, the highest "
            "diplomatic designation Hanoi offers to foreign nations.",
            "repeats",
        ),
        (
            "Which news agency saw the draft of the joint statement?",
            "which",
            "Reuters",
            "Reuters saw a draft of the joint statement.",
            "The EU and Vietnam are set to sign a joint statement, according to a draft document seen by Reuters.",
            "",
        ),
    ],
)
def test_a_drafted_sentence_agrees_with_the_direct_answer(question, kind, answer, claim, cited, why):
    from qa.fit import disagrees

    found = disagrees(asked(as_question(question), kind), answer, claim, cited)
    assert (why in found) if why else found == "", found


def test_the_local_llm_shows_no_sentence_that_contradicts_the_direct_answer(assistant):
    answer = assistant.ask("Which news agency saw the draft of the joint statement?", generator="local")
    assert answer.short == "Reuters"
    assert "was the European Union" not in answer.text  # the 135M model's sentence, dropped with its reason
    assert "Reuters" in answer.citations[0].quote


def test_a_place_described_by_several_facts_is_still_a_place(tmp_path, embedder):
    """A question with an appositive is planned as several facts; its closest name ("CTIA", a trade show) was
    answered for "where" unchecked."""
    show = (
        "Keep Labs, the smart medicine-storage company, showed its locked pill cabinet at CTIA this week. "
        "The company said the cabinet reminds patients when a dose is due."
    )
    qa = over(tmp_path, embedder, {"keep.txt": f"Keep Labs at CTIA\n\n{show}"})
    answer = qa.ask("Where is Keep Labs, the smart medicine-storage company, headquartered?")
    assert answer.short != "CTIA", answer.short


def test_a_name_the_question_gives_in_the_possessive_is_not_the_answer(tmp_path, embedder):
    """In "the Browns' win" the Browns are the question's own; the one who made the catch is the answer."""
    catch = (
        "Bears quarterback Justin Fields threw a Hail Mary on the final play. The ball deflected off his hands and "
        "into the waiting hands of safety D'Anthony Bell, who made the catch and slid to the ground to seal the "
        "Browns' 20-17 win. The Cleveland Browns improved to 8-5."
    )
    assistant = over(tmp_path, embedder, {"browns.txt": catch})
    answer, _ = ask(assistant, "Who caught the deflected Hail Mary to seal the Browns' 20-17 win over the Bears?")
    assert answer.short == "D'Anthony Bell"


def test_an_amount_is_read_with_its_currency_code(tmp_path, embedder):
    """ "NIS 405 million", "Rs 24.75 Cr": a currency written as a code before the number is part of the amount."""
    article = f"Psagot changes hands\n\n{PSAGOT} {WORTH} Kolkata Knight Riders paid Rs 24.75 Cr for Mitchell Starc."
    assistant = over(tmp_path, embedder, {"psagot.txt": article})
    answer, _ = ask(assistant, "How much did Rani Zim pay for Psagot Investment House?")
    assert answer.short == "NIS 405 million"
    answer, _ = ask(assistant, "How much did Kolkata Knight Riders pay for Mitchell Starc?")
    assert answer.short == "Rs 24.75 Cr"


def test_a_question_for_a_kind_of_named_thing_gets_a_name(tmp_path, embedder):
    """ "Which Slack boss …" names no kind the patterns list: the parse's noun asks for a person."""
    article = (
        "Slack chief executive Lidiane Jones is leaving to run the dating app Bumble, the companies said on Monday."
    )
    assistant = over(tmp_path, embedder, {"bumble.txt": f"Bumble names a new CEO\n\n{article}"})
    answer, _ = ask(assistant, "Which Slack boss is leaving to run the dating app Bumble?")
    assert answer.short == "Lidiane Jones"


def test_a_noun_of_a_kind_of_company_and_a_verb_of_paying_get_their_answers(tmp_path, embedder):
    """ "Which *drugmaker* …" asks for an organisation; "What did Shopify *pay* …" for a sum; "the Cleveland
    safety *who* …" for a person."""
    articles = {
        "drugs.txt": f"Alzheimer's drugs\n\n{DRUGS}",
        "deliverr.txt": "Flexport deal\n\nShopify had acquired Deliverr in May 2022 for $2.1 billion.",
        "chips.txt": "Chips\n\nVietnam already hosts chip assembly, testing, and packaging operations for global firms "
        "such as Intel and Amkor Technology.",
    }
    assistant = over(tmp_path, embedder, articles)
    answer, _ = ask(assistant, "Which drugmaker produces the Alzheimer's drug lecanemab?")
    assert answer.short == "Eisai"
    answer, _ = ask(assistant, "What did Shopify pay when it acquired Deliverr in 2022?")
    assert answer.short == "$2.1 billion"
    answer, _ = ask(assistant, "Which chipmakers have back-end packaging plants in Vietnam?")  # (plants: operations)
    assert answer.short == "Intel and Amkor Technology"
    assert asked("Name the Cleveland safety who ended the game", "open").type == "person"


def test_a_sentence_about_the_name_before_it_is_not_about_the_title(tmp_path, embedder):
    """ "… the film starring Joaquin Phoenix has now made $45.7 million against a $200 million budget" follows a
    sentence about "Napoleon": in an article titled for "Renaissance" it is still not Renaissance's budget."""
    napoleon = "In its second weekend, Ridley Scott's Napoleon earned an estimated $7.1 million."
    assert misfit(asked("What was the budget of Renaissance?", "number"), "$200 million", BUDGET,
                  "Beyoncé's Renaissance tops box office " + napoleon, before=napoleon) is not None  # fmt: skip
    urann = "Marcus Urann was a lawyer who bought a cranberry bog."
    question = asked("When did Marcus Urann put cranberries in a can?", "date")
    assert misfit(question, "1912", "He put cranberries in a can in 1912.", urann, before=urann) is None


def test_a_word_that_describes_the_next_ends_a_name():
    assert name_spans("Eisai-partnered Biogen and the Saudi-backed fund") == {"Biogen"}
    assert "Sam Bankman-Fried" in name_spans("Sam Bankman-Fried and Coca-Cola")
    assert asked("Who did Oregon State hire to replace Jonathan Smith?", "who").type == "person"
    assert asked("Which Bayern player scored the winner?", "which").type == "person"


def test_a_score_is_of_the_sides_its_own_sentence_names():
    question = asked("What was the score of South Africa's win over the All Blacks?", "number")
    assert misfit(question, "29-28", EDGED, "South Africa at the World Cup") is not None  # the hosts: France
    won = "South Africa beat the All Blacks 12-11 in the final."
    assert misfit(question, "12-11", won, "South Africa at the World Cup") is None


def test_the_best_supported_answer_that_meets_the_constraints_is_chosen(tmp_path, embedder):
    """A closer sentence about another year does not hide the one about the year asked."""
    article = (
        "The cheapest season ticket for Inter Miami in 2024 is $867, which works out to $51 per match. "
        "The cheapest season ticket in 2023 was $485, but that will jump all the way to $884."
    )
    assistant = over(tmp_path, embedder, {"tickets.txt": f"Inter Miami season tickets\n\n{article}"})
    answer, _ = ask(assistant, "How much did the cheapest Inter Miami season ticket cost in 2023?")
    assert answer.short == "$485"


def test_a_year_opening_the_sentence_and_a_count_beside_a_given_sum_are_answered(tmp_path, embedder):
    """ "In 1993, Bawendi developed …" dates it (the preposition is capitalised); "How many months does the
    $66.8 billion figure cover?" asks months, not dollars; "Binance's CEO" is the CEO of Binance."""
    articles = {
        "dots.txt": "Quantum dots\n\nIn 1993, Bawendi developed new chemical methods for producing the particles.",
        "trade.txt": "Trade\n\nIn the first 11 months of 2025, bilateral trade volume reached $66.8 billion.",
    }
    assistant = over(tmp_path, embedder, articles)
    answer, _ = ask(assistant, "When did Moungi Bawendi develop his method for producing quantum dots?")
    assert answer.short == "1993"
    answer, _ = ask(assistant, "How many months of 2025 does the $66.8 billion trade figure cover?")
    assert answer.short.startswith("11")
    assert quantity_unit("How many months does the $66.8 billion figure cover?") is None
    assert quantity_unit("How many dollars did it cost?") == "dollar"
    assert role("Who became Binance's CEO after Changpeng Zhao stepped down?") == ("CEO", "Binance")


def test_a_name_keeps_its_number_and_a_described_wh_noun_is_aligned(tmp_path, embedder):
    """ "777 Partners" is one name (not a year or a score before it); "What metal, widely used in defence, does
    Vietnam supply?" is answered by the phrase in the wh-word's place although its description splits it."""
    assert "777 Partners" in _candidates("Moshiri agreed to sell his stake to American investment fund 777 Partners.")
    assert "Apple" in _candidates("In 2023 Apple sold more phones.")
    assert "McTominay" in _candidates("Chelsea 1 Man United 2 McTominay 19'")
    assert "Copenhagen" in _candidates("Bayern Munich (Q) 6 5 0 0 +6 16 Copenhagen (Q) 6 2 2 2 0 8 Galatasaray")
    assert "Google" in _candidates("Phone makers pre-load a bundle of 11 Google apps.")
    article = "Vietnam is a major supplier of tungsten, a metal widely used in defense and electronics manufacturing."
    assistant = over(tmp_path, embedder, {"metal.txt": f"Critical minerals\n\n{article}"})
    answer, _ = ask(
        assistant, "What metal, widely used in defence and electronics, does Vietnam already supply to world markets?"
    )
    assert answer.short == "tungsten"


def test_a_noun_read_with_an_adjective_after_it_is_read_as_that_noun():
    """The small model reads "preseason *friendly*" and "a club *friendly*" as the noun before with an adjective
    after it: the question's relation is the friendly, and a date in the sentence's friendly answers it."""
    question = asked("What date is Inter Miami's preseason friendly against Al Nassr in Riyadh?", "date")
    assert question.relations == ("friendly",)
    assert misfit(question, "February 1", FRIENDLY, "Inter Miami preseason schedule") is None


def test_the_context_check_reads_the_question_as_it_is_given():
    """The first pass for a person takes only a name spaCy calls a person ("person-strict"); checked with its
    context, it must keep that reading, not read the question again ("Bankman-Fried", tagged ORG, waits for the
    second pass)."""
    sentence = "Bankman-Fried was convicted in Manhattan, where Caroline Ellison testified against him."
    question = asked("Who was convicted in Manhattan?", "who")
    evidence = [_evidence(sentence)]
    assert _fits(question, evidence, ())("Bankman-Fried", sentence)
    assert not _fits(replace(question, type="person-strict"), evidence, ())("Bankman-Fried", sentence)


def test_near_misses_the_sentences_just_below_the_threshold_offered():
    """Found by searching the sentences that follow a supported one (measured, not kept): a valuation is not what
    was raised; a writer named beside another ("Ron and *Sarah* write") is a source; "how much are tickets" asks a
    price, and "several thousand less" is none; the successor of another ("*Evason's* successor") did not replace
    the one asked about; a funding round asked by its series ("Series A") is not an angel round."""
    raised = "Scalable Capital's round is coming in at a flat valuation of $1.4 billion."
    assert misfit(asked("How much did Scalable Capital raise?", "number"), "$1.4 billion", raised) is not None
    assert misfit(asked("How much did Scalable Capital raise?", "number"), "€60 million", RAISED) is None
    wrote = "Ron and Sarah write that while Slack has a clear line of succession, Lidiane Jones leaves it in a pickle."
    assert misfit(asked("Who took over from Lidiane Jones as CEO of Slack?", "who"), "Sarah", wrote) is not None
    tickets = asked("How much are children's tickets for the Eras Tour movie?", "number")
    assert tickets.type == "money"
    live = "Eras Tour movie tickets cost several thousand less than many tickets to see Swift live."
    assert misfit(tickets, "several thousand", live) is not None
    woods = asked("Who replaced Bob Woods as Wild assistant coach?", "who")
    assert misfit(woods, "John Hynes", HYNES, "The Wild fired Dean Evason and Bob Woods.") is not None
    evason = asked("Who replaced Dean Evason as Wild coach?", "who")
    assert misfit(evason, "John Hynes", HYNES, "The Wild fired Dean Evason and Bob Woods.") is None
    angel = "Pebble's first outside funding was a $1.1 million angel round."
    assert misfit(asked("How much did Pebble raise in its Series A?", "number"), "$1.1 million", angel) is not None
    series = "Pebble raised $1.1 million in its Series A."
    assert misfit(asked("How much did Pebble raise in its Series A?", "number"), "$1.1 million", series) is None


def test_a_verb_with_its_particle_is_the_relation_and_a_time_clause_is_not():
    """ "get *back*" is a verb of its own, not the light "get"; "after appealing" says when, not what is asked: "on
    four points" after an appeal does not say how many points Everton got back."""
    question = asked("How many points did Everton get back after appealing their 10-point deduction?", "number")
    assert question.events == ("get",)
    dyche = "Dyche wants his team to forget about the appeal and accept being joint-bottom on four points."
    assert misfit(question, "four", dyche, "Everton appeal against 10-point deduction") is not None
    assert misfit(question, "four", "Everton got four points back after appealing their 10-point deduction.") is None


CUBIC_DEAL = [
    "SoftBank Corp. is taking a 51% stake in Cubic Telecom, which connects cars to mobile networks.",
    "The deal makes Cubic Telecom, which the chief executive has run since 2009, a subsidiary of SoftBank.",
    "Barry Napier will stay on as CEO and will have a seat on the board of the company.",
]


def test_the_sentence_right_after_a_supported_one_is_searched_last(tmp_path, embedder):
    """ "Barry Napier will stay on as CEO" shares too few of the question's words to be supported, but it goes on
    from a sentence that is: it is searched, with the same check, where none of the supported ones answers."""
    qa = over(tmp_path, embedder, {"a.txt": "SoftBank takes 51% of Cubic Telecom\n\n" + " ".join(CUBIC_DEAL)})
    question = "Who runs Cubic Telecom as chief executive?"
    _, _, _, evidence = qa._evidence(question, "extractive", None, None, {})
    support = {e.sentence.clean: e.support for e in evidence}
    threshold = qa.settings.answer.refusal_threshold
    assert support[CUBIC_DEAL[2]] < threshold <= support[CUBIC_DEAL[1]]
    answer = qa.ask(question)
    assert answer.short == "Barry Napier" and any(CUBIC_DEAL[2] in c.quote for c in answer.citations)


def test_a_thing_referred_back_to_is_no_person_named_before():
    """ "*the film* is hitting theaters" does not refer back to "Scott Cawthon", the subject of the sentence
    before: the film the title names is still the one asked about."""
    question = asked("Who directed the 2023 Five Nights at Freddy's movie?", "who")
    before = "Game creator Scott Cawthon wrote and rewrote the script."
    title = "5 things to know before watching the Five Nights at Freddy’s movie"
    film = "Finally, under director Emma Tammi, the film is hitting theaters with a Peacock streaming debut."
    assert misfit(question, "Emma Tammi", film, f"{title} {before}", "2023-10-26", before=before) is None
    he = "Finally, under director Emma Tammi, he is hitting theaters with a Peacock streaming debut."
    assert misfit(question, "Emma Tammi", he, f"{title} {before}", "2023-10-26", before=before) is not None


def test_a_capitalised_name_is_not_a_common_word_written_in_lower_case():
    """ "Time's Person of the Year" is not met by "a lot of time" in the article's context; a question typed in
    lower case still finds its names in any case."""
    question = asked("Who was Time's Person of the Year for 2022?", "who")
    met = "Bazella first found Geerts, her birth mother, in May 2021, and they met in person in 2022."
    assert misfit(question, "Geerts", met, context="‘Spent a lot of time’", date="2023-12-15") is not None
    named = "Taylor Swift was named Time's Person of the Year for 2022."
    assert misfit(question, "Taylor Swift", named, date="2023-12-15") is None
    assert _named("Time", "TIME magazine") and _named("canelo", "Canelo Alvarez won")
    assert not _named("Time", "They spent a lot of time together.")
    assert _named("time", "who was time's person of the year")


def test_an_amount_written_with_a_letter_for_its_scale_is_read_whole():
    """ "$69B" is 69 billion dollars, not $69."""
    found = quantity("How much did Microsoft pay for Activision Blizzard?", [_evidence(ACTIVISION_69B)])
    assert found is not None and found.text == "$69B"


ACTIVISION_69B = "Microsoft just completed its $69B acquisition of Activision Blizzard."


def test_an_ordinal_is_of_the_sentences_own_event_not_of_the_one_before():
    """ "India *first* entered the semifinals" before it does not make 1987 the inaugural World Cup's year; the
    sentence's own "inaugural" does."""
    question = asked("What year did England host the inaugural Cricket World Cup?", "date")
    before = "India first entered the semifinals of the World Cup in 1983."
    again = "England hosted the World Cup again in 1987."
    assert misfit(question, "1987", again, context=before, before=before) is not None
    first = "England hosted the inaugural World Cup in 1975."
    assert misfit(question, "1975", first, context=before, before=before) is None


SPEARS = {
    "spears.txt": "Britney Spears and Kevin Federline: a timeline of their marriage\n\nThe pop star released her memoir, "
    "The Woman in Me, in October 2023. After three months of dating, the two tied the knot in September 2004. The "
    "couple had two sons.",
    "divorce.txt": "Pop news\n\nBritney Spears and Kevin Federline divorced in 2007.",
    "bridge.txt": "Council news\n\nThe city council approved the new river bridge on Monday.",
    "museum.txt": "Museum news\n\nThe city museum opened its new wing to visitors on Saturday.",
    "rain.txt": "Weather\n\nHeavy rain is expected across the region this weekend.",
}


def test_a_sentence_read_with_its_title_is_searched_last(tmp_path, embedder):
    """ "the two tied the knot in September 2004" shares too few of the question's words to be supported, and no
    supported sentence comes right before it; read with its article's title ("Britney Spears and Kevin Federline:
    …") it is: it is searched last, with the same check (the memoir's date, as well supported, states no
    marriage)."""
    qa = over(tmp_path, embedder, SPEARS)
    question = "When did Britney Spears marry Kevin Federline?"
    _, _, pool, evidence = qa._evidence(question, "extractive", None, None, {})
    threshold = qa.settings.answer.refusal_threshold
    knot = next(e for e in evidence if "tied the knot" in e.sentence.clean)
    assert knot.support < threshold <= pool.in_context(question, [knot])[0]
    answer = qa.ask(question)
    assert answer.short == "September 2004" and any("tied the knot" in c.quote for c in answer.citations)


def test_a_field_the_question_names_must_be_stated():
    """ "the Nobel prize in literature" is not answered by a chemist under a headline about the chemistry prize,
    nor by a sentence that names another field; one that names literature answers it."""
    question = asked("who won the nobel prize in literature in 2023", "who")
    title = "Creation of quantum dots wins 2023 chemistry Nobel"
    brus = "The second winner is chemist Louis Brus."
    assert misfit(question, "Louis Brus", brus, title, "2023-10-04") is not None
    medicine = "Katalin Kariko won the Nobel Prize in medicine in 2023."
    assert misfit(question, "Katalin Kariko", medicine, date="2023-10-04") is not None
    fosse = "Jon Fosse won the Nobel Prize in literature in 2023."
    assert misfit(question, "Jon Fosse", fosse, date="2023-10-05") is None


def test_a_final_asked_is_not_a_semi_final():
    """ "the 2023 Rugby World Cup *final*" is a constraint a semi-final's report does not meet (nor its hyphened
    spelling); "the final score" asks for no final."""
    question = asked("Who scored the only try of the 2023 Rugby World Cup final?", "who")
    assert "final" in question.constraints
    kolbe = "Cheslin Kolbe crossed for a try off a charged-down conversion."
    for title in ("England vs South Africa: 2023 Rugby World Cup semifinal", "2023 Rugby World Cup semi-final"):
        assert misfit(question, "Cheslin Kolbe", kolbe, title, "2023-10-21") is not None
    final = "Beauden Barrett scored the only try of the 2023 Rugby World Cup final."
    assert misfit(question, "Beauden Barrett", final, date="2023-10-28") is None
    assert "final" not in asked("What was the final score of the match?", "number").constraints


def test_a_result_set_against_a_forecast_is_stated_as_a_fact():
    """ "Revenue: *$12.94 billion* vs. $12.98 billion expected" reports the revenue; a forecast alone does not."""
    question = asked("What was Nike's revenue in the quarter?", "number")
    line = "Revenue: $12.94 billion vs. $12.98 billion expected"
    context = "Nike misses revenue expectations for the first time in two years"
    assert misfit(question, "$12.94 billion", line, context, "2023-09-28") is None
    forecast = "Revenue is expected to reach $12.98 billion."
    assert misfit(question, "$12.98 billion", forecast, context, "2023-09-28") is not None


def test_what_an_amount_is_counted_in_is_the_measure_asked():
    """ "How much did Nike *bring in* in sales" asks what it earned, counted in sales: the total, not footwear's."""
    question = asked("How much did Nike bring in in sales during the quarter that ended August 31, 2023?", "number")
    assert question.relations[:2] == ("sale", "earn") and question.measure == "sale"
    footwear = "During the quarter, footwear sales rose 4% to $8.4 billion, making up about 68% of Nike's total sales."
    assert misfit(question, "$8.4 billion", footwear, "Nike results", "2023-09-28") is not None
    total = "Sales rose to $12.94 billion, up about 2% from $12.69 billion a year earlier."
    assert misfit(question, "$12.94 billion", total, "Nike results", "2023-09-28") is None
    assert asked("How much did Scalable Capital raise in its Balderton-led round?", "number").measure == ""


def test_a_name_written_with_a_typographic_apostrophe_is_still_a_name():
    """The model reads "Beauden Barrett’s" as a person only with a straight apostrophe: it is given one, and the
    text keeps its own; a player who "crossed for" a try scored it."""
    sentence = "A missed conversion following Beauden Barrett’s 58th minute try proved the difference."
    assert any(e.text == "Beauden Barrett’s" and e.label == "PERSON" for e in parse(sentence).entities)
    assert typed("person", "Beauden Barrett", sentence)
    assert asked("Who crossed for the only try of the final?", "who").relations[0] == "score"


def test_where_an_event_was_held_says_too_little_to_be_read_with_a_title():
    """ "Where were the Winter Meetings held?" says nothing the place and the question's names do not: under a
    title naming the meetings, any place would do ("met with a *New York* team"), so such a question is not
    searched among the sentences read with their title; one with a verb of its own is."""
    assert held_only(asked("Where were the 2023 MLB Winter Meetings held?", "which"))
    assert not held_only(asked("Where did Canelo Alvarez beat Jermell Charlo in September 2023?", "which"))
    assert not held_only(asked("When did Britney Spears marry Kevin Federline?", "date"))


def test_a_team_named_in_the_plural_of_the_questions_word_is_not_the_answer():
    """ "the All Black who crossed for the try" is one of the All Blacks: the team is the question's own name."""
    sentence = "The only try of the final was scored by the All Blacks."
    assert entity("Name the All Black who scored the only try of the final.", [_evidence(sentence)]) is None


EKIMOV = {
    "ekimov.txt": "Alexei Ekimov and the quantum dots in glass\n\nThe physicist worked at an optical institute in "
    "Leningrad in the early 1980s. Adding copper chloride to the glass produced tiny crystals. Their colour depended "
    "on their size.",
    "nobel.txt": "Nobel news\n\nAlexei Ekimov created quantum dots in glass, the Nobel committee said.",
    "bridge.txt": SPEARS["bridge.txt"],
    "museum.txt": SPEARS["museum.txt"],
    "rain.txt": SPEARS["rain.txt"],
}


def test_a_thing_in_the_questions_place_is_found_in_a_sentence_read_with_its_title(tmp_path, embedder):
    """ "What compound did Ekimov add to glass?" asks no type a check knows, so only the phrase in the wh-word's
    place answers it ("*Adding* copper chloride to the glass"): that alignment is looked for in the sentences read
    with their title too, where no supported one has it."""
    qa = over(tmp_path, embedder, EKIMOV)
    question = "What compound did Alexei Ekimov add to glass to create his quantum dots?"
    _, _, pool, evidence = qa._evidence(question, "extractive", None, None, {})
    added = next(e for e in evidence if "copper chloride" in e.sentence.clean)
    assert added.support < qa.settings.answer.refusal_threshold <= pool.in_context(question, [added])[0]
    assert qa.ask(question).short == "copper chloride"


def test_leaving_may_be_stated_as_an_exit():
    """ "Which Oregon State coach left his alma mater …" is answered by "Smith … *exits* Oregon State"."""
    question = asked("Which Oregon State coach left his alma mater to take over the Michigan State Spartans?", "which")
    exits = "Smith, a former quarterback for the Beavers, exits Oregon State with a 34-35 overall mark as coach."
    assert misfit(question, "Smith", exits, "Michigan State hires Oregon State's Jonathan Smith", "2023-11-25") is None
    assert "exit" in _family("leave") and "leave" in _family("depart")


def test_a_year_in_a_clause_of_the_sentence_before_about_another_event_does_not_date_the_sentence():
    """ "…, having beaten England at the same venue in 2007" dates that win, not the final the next sentence
    reports (the article's date does); a year the sentence before states of its own event still dates it."""
    question = asked("Which All Black crossed for the lone try in the 2023 World Cup final?", "which")
    title = "Boks beat All Blacks to claim record fourth World Cup in dramatic final"
    try_ = "A missed conversion following Beauden Barrett’s 58th minute try proved the difference."
    aside = "It was the second straight tournament the Springboks won in France, having beaten England there in 2007."
    found = misfit(question, "Beauden Barrett", try_, f"{title} {aside}", "2023-10-28", before=aside)
    assert found is None
    own = "The Springboks won the 2007 World Cup in France."
    assert misfit(question, "Beauden Barrett", try_, f"{title} {own}", "2023-10-28", before=own) is not None


def test_a_party_named_where_only_a_noun_states_the_relation_must_be_its_doer():
    """ "goals *from* Badiashile" says who scored; "Chelsea beat *Championship Blackburn* thanks to goals …" does
    not make Blackburn a scorer: where only a noun of the relation is written, a party answers only bound to it."""
    question = asked("Who scored the goals in Chelsea's FA Cup win in December 2023?", "who")
    sentence = "Chelsea beat Championship Blackburn thanks to goals from Benoît Badiashile and Raheem Sterling."
    assert misfit(question, "Benoît Badiashile", sentence, "FA Cup", "2023-12-19") is None
    assert misfit(question, "Championship Blackburn", sentence, "FA Cup", "2023-12-19") is not None
    final = "The first deliveries occurred November 30 at the Tesla Gigafactory in Austin."
    where = asked("Where did Tesla hand over the first Cybertrucks to customers?", "which")
    assert misfit(where, "Tesla Gigafactory in Austin", final, "Tesla Cybertruck", "2023-12-01") is None


def test_where_an_event_was_held_is_a_place_something_is_in_or_at():
    """ "Where was the Code Conference held?" says no more than where: the place must be written as where
    something is ("at the Ritz-Carlton *in Laguna Niguel*", a dateline), not as a topic ("talked about *AI*") or a
    word describing a thing ("a *New York* team")."""
    question = asked("Where was the 2023 Code Conference held?", "which")
    show = "And of course, it was the Code Conference, so David and Alex talked about AI, a real theme of our show."
    assert misfit(question, "AI", show, "Code Conference", "2023-09-30") is not None
    team = "That will be the second time Yamamoto has met with a New York team at the Code Conference."
    assert misfit(question, "New York", team, "Code Conference", "2023-09-30") is not None
    held = "The 2023 Code Conference was held at the Ritz-Carlton in Laguna Niguel, California."
    assert misfit(question, "Laguna Niguel", held, date="2023-09-30") is None
    dateline = "LAS VEGAS — The 2023 Code Conference opened on Tuesday."
    assert misfit(question, "LAS VEGAS", dateline, date="2023-09-30") is None


def test_a_relation_is_stated_by_its_converse_with_the_preposition_that_marks_the_party():
    """ "samples collected *from 9,200 pregnant people*" says how many people provided them, as "sold it *to* X"
    says who bought it; what a "how many" question counts has its part in the clause too. Whoever the samples were
    collected *by* did not provide them."""
    question = asked("How many pregnant people provided urine samples for the study?", "number")
    assert question.counted_role == ("subject", "provide")
    collected = "The researchers screened urine samples that had been collected from 9,200 pregnant people."
    assert misfit(question, "9,200", collected, date="2023-12-12") is None
    by = "The 12 researchers collected urine samples at eight medical centers."
    assert misfit(question, "12", by, date="2023-12-12") is not None
    seller = asked("Who sold the stake to 777 Partners?", "who")
    bought = "777 Partners bought the stake from Farhad Moshiri."
    assert misfit(seller, "Farhad Moshiri", bought, date="2023-09-15") is None
    assert misfit(seller, "777 Partners", bought, date="2023-09-15") is not None


def test_the_articles_lead_states_what_each_of_its_sentences_is_about():
    """ "the study, published … in the journal *JAMA*" in the opening paragraphs names the study every later
    sentence speaks of, and the lead's "fiscal first quarter" is "*the quarter*" of the report; a fiscal year is
    named for the year it ends in, so fiscal 2024's first quarter is reported in 2023. Without the lead, or for a
    calendar year, neither holds."""
    question = asked("How many pregnant people provided urine samples for the JAMA study?", "number")
    sentence = (
        "In the study, the researchers screened urine samples that had been collected from 9,200 pregnant people."
    )
    lead = opening("Cannabis use in pregnancy\n\nThe risks are highest, according to the study, published in JAMA.")
    assert misfit(question, "9,200", sentence, date="2023-12-12") is not None
    assert misfit(question, "9,200", sentence, date="2023-12-12", lead=lead) is None
    plural = opening("Cannabis use in pregnancy\n\nThe risks are highest, according to two studies published in JAMA.")
    assert misfit(question, "9,200", sentence, date="2023-12-12", lead=plural) is None  # "the study" of "studies"
    margin = asked("What gross margin did Nike post in its fiscal 2024 first quarter?", "number")
    during = "During the quarter, Nike's gross margin fell about 0.1 percentage points to 44.2%."
    nike = "Nike reported revenue Thursday.\n\nHere's how the sneaker giant performed during its fiscal first quarter:"
    assert misfit(margin, "44.2%", during, date="2023-09-28", lead=opening(nike)) is None
    assert misfit(margin, "44.2%", during, date="2023-09-28") is not None
    # the lead is read from the article's opening only: a paragraph that starts past its first 3,200 characters is
    # never part of it, however long the article
    assert opening("Cannabis use in pregnancy\n" + " " * 4000 + "\nJAMA" * 1_000_000) == "Cannabis use in pregnancy"
    calendar = asked("What gross margin did Nike post in the first quarter of 2024?", "number")
    assert misfit(calendar, "44.2%", during, date="2023-09-28", lead=opening(nike)) is not None
    # only what the lead says of the noun referred back to: the company, not the round it raised
    raised = asked("How much did Scalable Capital raise in its Balderton-led round?", "number")
    total = "The company has now raised more than $345 million, it said."
    funding = opening("Scalable Capital raises $65M\n\nThe company has raised €60 million in a round led by Balderton.")
    assert misfit(raised, "$345 million", total, date="2023-06-27", lead=funding) is not None
    # "for a second quarter in a row" is no particular quarter
    second = asked("What revenue did Nike report for its fiscal second quarter of 2024?", "number")
    converse = "Sales came in at $588 million, down 9% compared to the year-ago period."
    row = "The Converse brand fell well short of expectations for a second quarter in a row."
    assert misfit(second, "$588 million", converse, f"Nike results {row}", "2023-09-28", before=row) is not None


def test_percentage_points_are_a_difference_and_a_segments_sales_are_not_the_revenue():
    """ "fell *0.1 percentage points* to 44.2%": the change, read whole (it was read "0.1 percent"), not the margin;
    "*footwear* sales rose 4% to $8.4 billion, … of Nike's *total* sales" is a part of the revenue asked."""
    assert ("0.1 percentage points", "to 44.2%.") in _stated_amounts(
        "Nike's gross margin fell about 0.1 percentage points to 44.2%."
    )
    margin = asked("What gross margin did Nike post in the quarter?", "number")
    during = "During the quarter, Nike's gross margin fell about 0.1 percentage points to 44.2%."
    assert misfit(margin, "0.1 percentage points", during, date="2023-09-28") is not None
    assert misfit(margin, "44.2%", during, date="2023-09-28") is None
    assert misfit(asked("By how many percentage points did Nike's margin fall?", "number"), "0.1 percentage points",
                  during, date="2023-09-28") is None  # fmt: skip
    revenue = asked("What was Nike's revenue in the quarter?", "number")
    footwear = "During the quarter, footwear sales rose 4% to $8.4 billion, making up about 68% of Nike's total sales."
    assert misfit(revenue, "$8.4 billion", footwear, date="2023-09-28") is not None


def test_a_list_item_is_read_under_the_sentence_that_introduces_the_list():
    """ "Revenue: $12.94 billion vs. …" is an item of the list "Here's how Nike performed during its fiscal first
    quarter …:" introduces: that sentence is its context, past the items between; a sentence that is no item has
    none, nor has an item under a paragraph that ends without a colon."""
    text = (
        "Nike reported revenue Thursday.\n\nHere's how the sneaker giant performed during its fiscal first quarter, "
        "based on a survey of analysts by LSEG:\n\nEarnings per share: 94 cents vs. 75 cents expected\n\nRevenue: "
        "$12.94 billion vs. $12.98 billion expected\n\nThe company's net income was $1.45 billion."
    )
    chunk = Chunk(chunk_id="c", doc_id="d", text=text, start=0, end=len(text), source="s", title="Nike results")

    def at(sentence: str) -> Evidence:
        start = text.index(sentence)
        return Evidence(Hit(chunk, 0.0, 1), Sentence(sentence, start, start + len(sentence)), 0.5, 0.5, 0.5)

    revenue = at("Revenue: $12.94 billion vs. $12.98 billion expected")
    assert revenue.introduction.startswith("Here's how the sneaker giant performed during its fiscal first quarter")
    assert revenue.before == "Earnings per share: 94 cents vs. 75 cents expected"
    question = asked("What was Nike's revenue for its fiscal first quarter of 2024?", "number")
    assert misfit(question, "$12.94 billion", revenue.sentence.text, revenue.context, "2023-09-28") is None
    assert misfit(question, "$12.94 billion", revenue.sentence.text, "Nike results", "2023-09-28") is not None
    assert at("The company's net income was $1.45 billion.").introduction == ""
    plain = text.replace("by LSEG:", "by LSEG.")
    chunk = replace(chunk, text=plain)
    start = plain.index("Revenue:")
    item = Evidence(Hit(chunk, 0.0, 1), Sentence(revenue.sentence.text, start, start + 51), 0.5, 0.5, 0.5)
    assert item.introduction == ""


def test_a_possessed_phrase_of_the_asked_noun_names_one_instance_of_it():
    """ "Which title did Canelo retain?" is answered by "he retained *his undisputed super middleweight title*": the
    asked noun itself, possessed and classified, is one title; "investment in *major infrastructure projects*" names
    a kind, not one of them, and a bare "his title" says nothing the question does not."""
    question = "Which title did Canelo Alvarez retain by beating Jermell Charlo?"
    retained = "The reigning face of boxing made it look easy as he retained his undisputed super middleweight title."
    assert aligned(question, retained) == "undisputed super middleweight title"
    title = "Canelo Alvarez vs Jermell Charlo live fight updates"
    assert (
        misfit(asked(question, "which"), "undisputed super middleweight title", retained, title, "2023-10-01") is None
    )
    assert aligned(question, "Canelo retained his title.") == ""
    projects = "The statement outlines EU interest in investing in major infrastructure projects."
    assert aligned("Which infrastructure projects is the EU interested in investing in?", projects) == ""


def test_an_office_a_support_verb_puts_someone_in_must_be_the_office_taken():
    """ "Who was *put in charge* of OpenAI as interim CEO" says nothing but the office: a name must come into it
    ("chief technology officer *Mira Murati* stepping in as interim CEO", the subject named in apposition), not sit
    on a board beside a returning CEO ("a new initial board of *Bret Taylor* (Chair)")."""
    question = asked("Who was put in charge of OpenAI as interim CEO after the board ousted Sam Altman?", "who")
    title = "A timeline of Sam Altman’s firing from OpenAI"
    board = "Sam Altman will return to OpenAI as CEO with a new initial board of Bret Taylor (Chair) and Larry Summers."
    assert misfit(question, "Bret Taylor", board, title, "2023-11-22") is not None
    stepping = (
        "He will step down as CEO, with OpenAI’s chief technology officer Mira Murati stepping in as interim CEO."
    )
    assert misfit(question, "Mira Murati", stepping, title, "2023-11-17") is None


def test_a_name_done_to_by_another_is_checked_for_every_verb_of_the_question():
    """ "Which title did *Canelo* retain by beating Charlo?" asks through both its verbs: "*Mario Barrios* beat
    Yordenis Ugas to claim the interim WBC welterweight title" is another boxer's, whichever of them the sentence
    uses."""
    question = asked("Which title did Canelo Alvarez retain by beating Jermell Charlo?", "which")
    title = "Canelo Alvarez vs Jermell Charlo live fight updates"
    undercard = "Mario Barrios beat Yordenis Ugas to claim the interim WBC welterweight title on the undercard."
    assert misfit(question, "WBC welterweight title", undercard, title, "2023-10-01") is not None
    own = "Canelo Alvarez beat Jermell Charlo to retain his undisputed super middleweight title."
    assert misfit(question, "undisputed super middleweight title", own, title, "2023-10-01") is None


def test_a_superlative_the_question_ranks_by_must_be_stated():
    """ "the *most downloaded* free iPhone app" is not an app "now available … to download" (OpenAI's ChatGPT app),
    but Temu "the most downloaded free app"; the cheapest is checked as a price floor ("starts at $549") and the
    latest by the recency note, neither as a word to find."""
    question = asked("Which app was the most downloaded free iPhone app in the US in 2023?", "which")
    assert "most downloaded" in question.constraints
    before = "ChatGPT app is now available in 11 more countries"
    title = f"ChatGPT: Everything you need to know about the AI-powered chatbot {before}"
    available = (
        "OpenAI announced in a tweet that the ChatGPT mobile app is now available on iOS in the U.S., Europe, South "
        "Korea and New Zealand, and soon more will be able to download the app from the app store."
    )
    assert misfit(question, "OpenAI", available, title, "2023-05-18", before=before) is not None
    temu = "Temu was the most downloaded free iPhone app in the U.S. in 2023, according to Apple."
    assert misfit(question, "Temu", temu, "Apple's top apps of 2023", "2023-12-12") is None
    assert asked("What is the cheapest season ticket?", "number").constraints == ("the lowest price",)
    assert asked("What is the latest iPhone?", "which").constraints == ()


def test_a_side_the_question_has_lose_is_not_the_winner_of_the_match_a_sentence_reports():
    """ "their 2-1 win *over Chelsea*" makes Chelsea the beaten side: "Chelsea, who *beat* Championship Blackburn
    thanks to goals from Benoît Badiashile" reports another match; one where Chelsea lose still answers."""
    question = asked(
        "Who scored both goals for Manchester United in their 2-1 win over Chelsea in December 2023?", "who"
    )
    assert question.beaten == ("Chelsea",)
    cup = (
        "The Magpies will now face five-times winners Chelsea, who beat Championship Blackburn thanks to goals from "
        "Benoît Badiashile and Raheem Sterling at Stamford Bridge."
    )
    before = "Eddie Howe's side followed up their victory over City with a 3-0 win over United at Old Trafford."
    context = f"Chelsea secure last-eight spot after Raheem Sterling sinks Blackburn {before}"
    assert misfit(question, "Benoît Badiashile", cup, context, "2023-12-19", before=before) is not None
    brace = "Manchester United beat Chelsea thanks to a superb Scott McTominay brace."
    assert misfit(question, "Scott McTominay", brace, "Man United vs Chelsea", "2023-12-06") is None
